package io.piri.db.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Dispatches event-bus requests by their {@code action} header and turns every outcome into the
 * protocol's reply: a JSON object, or {@code fail(code, "<error>: <detail>")}. It also counts
 * requests in flight so a stopping store can wait for them.
 */
public final class ActionRouter {
  public static final String ACTION_HEADER = "action";
  private static final Logger LOG = Logger.getLogger(ActionRouter.class.getName());

  private final String store;
  private final int maxBodyBytes;
  private final Map<String, Function<Request, Future<JsonObject>>> actions = new HashMap<>();
  private final Map<String, Set<String>> bytesPaths = new HashMap<>();
  private volatile boolean accepting;
  private int inFlight;
  private Runnable onIdle;
  private RequestCounts counts = RequestCounts.NONE;
  private Function<Throwable, Throwable> failures = Function.identity();

  public ActionRouter(String store, int maxBodyBytes) {
    this.store = store;
    this.maxBodyBytes = maxBodyBytes;
  }

  public ActionRouter on(String action, Function<Request, Future<JsonObject>> handler) {
    actions.put(action, handler);
    return this;
  }

  /**
   * Declares where {@code action}'s body holds JSON that the store keeps as bytes, such as
   * {@code "payload"} or {@code "jobs[].payload"}: text there may hold NUL (see {@link BodyCheck}).
   */
  public ActionRouter jsonKeptAsBytes(String action, String... paths) {
    bytesPaths.put(action, Set.of(paths));
    return this;
  }

  /** Counts every reply by action and code into {@code registry} (piri_db_requests_total). */
  public ActionRouter meters(io.micrometer.core.instrument.MeterRegistry registry) {
    this.counts = new RequestCounts(registry, store, actions.keySet());
    return this;
  }

  /**
   * Turns failures that are not {@link BusException}s into one before they are answered (the
   * store maps its database's failures); anything left unmapped is a 500.
   */
  public ActionRouter mapFailures(Function<Throwable, Throwable> map) {
    this.failures = map;
    return this;
  }

  public void accept(boolean accepting) {
    this.accepting = accepting;
  }

  public int inFlight() {
    return inFlight;
  }

  /** Completes when no request is in flight any more. */
  public Future<Void> drained() {
    if (inFlight == 0) return Future.succeededFuture();
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    onIdle = () -> p.tryComplete();
    return p.future();
  }

  public void handle(Message<Object> msg) {
    String action = msg.headers().get(ACTION_HEADER);
    if (!msg.isSend() || msg.replyAddress() == null) {
      // Nobody would learn the outcome, and a publish reaches the store of every instance in a
      // cluster: acting on it would run the action once per instance.
      LOG.warning(() -> store + ": ignored a " + (msg.isSend() ? "send without reply address" : "publish")
          + " of action '" + (action == null ? "" : action) + "' to " + msg.address() + "; a store acts on requests only");
      return;
    }
    Future<JsonObject> result;
    try {
      Request req = parse(action, msg.body(), msg.headers());
      if (!accepting) throw BusException.unavailable("store '" + store + "' is stopping");
      result = actions.get(action).apply(req);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    if (result.isComplete()) {
      reply(msg, action, result);
      return;
    }
    inFlight++;
    Future<JsonObject> pending = result;
    pending.onComplete(ar -> {
      reply(msg, action, pending);
      if (--inFlight == 0 && onIdle != null) {
        Runnable r = onIdle;
        onIdle = null;
        r.run();
      }
    });
  }

  private Request parse(String action, Object body, io.vertx.core.MultiMap headers) {
    if (action == null || !actions.containsKey(action)) {
      throw BusException.invalid("unknown action '" + (action == null ? "" : action) + "'");
    }
    if (body == null) return Request.withHeaders(action, new JsonObject(), headers);
    if (!(body instanceof JsonObject json)) {
      throw BusException.invalid("body must be a JSON object, got " + kind(body));
    }
    long bound = BodyCheck.sizeBound(json);
    if ((bound < 0 || bound > maxBodyBytes) && encodedLength(json) > maxBodyBytes) {
      throw BusException.invalid("body exceeds the limit of " + maxBodyBytes + " bytes (limits.max_body_bytes)");
    }
    BodyCheck.check(json, bytesPaths.getOrDefault(action, Set.of()));
    return Request.withHeaders(action, json, headers);
  }

  /** The body's encoded size; a body that cannot be encoded (nesting too deep) is a 400 too. */
  private static long encodedLength(JsonObject json) {
    try {
      return json.toBuffer().length();
    } catch (RuntimeException | StackOverflowError e) {
      throw BusException.invalid("body cannot be encoded as JSON (nested too deep?)");
    }
  }

  private void reply(Message<Object> msg, String action, Future<JsonObject> result) {
    if (result.succeeded()) {
      counts.count(action, 200);
      msg.reply(result.result());
      return;
    }
    Throwable cause = result.cause() instanceof BusException ? result.cause() : failures.apply(result.cause());
    if (cause instanceof BusException be) {
      counts.count(action, be.code().code);
      msg.fail(be.code().code, be.wireText());
    } else {
      String id = UUID.randomUUID().toString().substring(0, 8);
      LOG.log(Level.SEVERE, "[" + id + "] " + store + " " + action + " failed", cause);
      counts.count(action, ErrorCode.INTERNAL.code);
      msg.fail(ErrorCode.INTERNAL.code, ErrorCode.INTERNAL.error + ": internal error (correlation id " + id + ")");
    }
  }

  private static String kind(Object body) {
    if (body instanceof String) return "a string";
    if (body instanceof io.vertx.core.json.JsonArray) return "an array";
    if (body instanceof Number) return "a number";
    if (body instanceof Boolean) return "a boolean";
    return body.getClass().getSimpleName();
  }
}
