package io.piri.db.bridge;

import io.piri.db.core.StoreId;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * One bridge client. Frames come from a {@link FrameReader}. Reading pauses while
 * {@link #MAX_IN_FLIGHT_PER_CONNECTION} requests wait for replies or the socket's write queue is
 * full, so one client cannot queue unbounded work or replies in memory. Every refusal of a
 * request is an {@code err} frame whose {@code address} is the request's {@code replyAddress}
 * (for {@code register} and {@code unregister}: the address named), where the client waits.
 */
final class BridgeConnection implements FrameReader.Sink {
  private static final Logger LOG = Logger.getLogger(BridgeConnection.class.getName());
  static final int MAX_IN_FLIGHT_PER_CONNECTION = 256;
  /** Registrations one connection may hold, and their longest address: a client needs a few reply addresses. */
  static final int MAX_REGISTRATIONS = 64;
  static final int MAX_REGISTERED_ADDRESS_LENGTH = 256;

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final BridgeState state;
  private final FrameReader reader;
  private final Set<String> registered = new HashSet<>();
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean closed;
  private boolean paused;
  private int inFlight;

  BridgeConnection(Vertx vertx, NetSocket socket, int maxFrame, long frameTimeoutMs, BridgeState state) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.state = state;
    this.reader = new FrameReader(vertx, socket, maxFrame, frameTimeoutMs, this);
  }

  void start() {
    state.opened(this);
    socket.closeHandler(v -> {
      closed = true;
      reader.stop();
      state.closed(this, registered);
    });
    socket.exceptionHandler(e -> socket.close());
    socket.drainHandler(v -> flow());
    reader.start();
  }

  /**
   * The last step of a stop: reads nothing more, lets the replies already written reach the
   * socket (up to {@code flushMs}), then closes it.
   */
  Future<Void> closeAfterFlush(long flushMs) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      closed = true;
      reader.stop();
      Future.any(lastWrite, vertx.timer(Math.max(1, flushMs))).transform(ar -> socket.close()).onComplete(done);
    });
    return done.future();
  }

  @Override
  public void refuse(String reason) {
    closed = true;
    LOG.fine(() -> "bridge: closing " + socket.remoteAddress() + ": " + reason);
    write(err(null, reason)).onComplete(ar -> socket.close());
  }

  @Override
  public void frame(Buffer buf) {
    if (closed) return;
    JsonObject frame;
    try {
      frame = new JsonObject(buf);
    } catch (RuntimeException | StackOverflowError e) {
      reader.stop();
      refuse("invalid_frame: the frame is not a JSON object");
      return;
    }
    handle(frame);
  }

  private void handle(JsonObject frame) {
    Object type = frame.getValue("type");
    if ("ping".equals(type)) {
      write(new JsonObject().put("type", "pong"));
      return;
    }
    Object address = frame.getValue("address");
    String answer = frame.getValue("replyAddress") instanceof String r ? r
        : ("register".equals(type) || "unregister".equals(type)) && address instanceof String a ? a : null;
    if (!"send".equals(type) && !"publish".equals(type) && !"register".equals(type) && !"unregister".equals(type)) {
      write(err(answer, "unknown_type"));
    } else if (!(address instanceof String to) || to.isEmpty()) {
      write(err(answer, "missing_address"));
    } else if ("register".equals(type)) {
      register(to);
    } else if ("unregister".equals(type)) {
      unregister(to);
    } else if ("publish".equals(type)) {
      // A store acts on requests only: a publish would reach the store of every instance in a
      // cluster, and nobody would learn the outcome.
      write(err(answer, "access_denied: publish is not permitted; a store answers requests (send with a replyAddress)"));
    } else {
      send(frame, to, answer);
    }
  }

  private void send(JsonObject frame, String address, String replyAddress) {
    if (!permitted(address)) {
      write(err(replyAddress, "access_denied"));
      return;
    }
    if (replyAddress == null) {
      write(err(null, "missing_reply_address: a send to a store needs a replyAddress, where its reply goes"));
      return;
    }
    if (state.heldByAnother(replyAddress, this)) {
      write(err(replyAddress, "access_denied: replyAddress '" + replyAddress + "' is registered by another connection"));
      return;
    }
    DeliveryOptions opts;
    try {
      opts = BridgeHeaders.deliveryOptions(frame.getValue("headers"));
    } catch (IllegalArgumentException e) {
      write(err(replyAddress, "invalid_headers: " + e.getMessage()));
      return;
    }
    request(address, frame.getValue("body"), opts, replyAddress);
  }

  /**
   * A registration only reserves the address for this connection's replies: it creates no
   * event-bus consumer, so nothing on the bus can send to a bridge client, least of all a
   * request meant for a store.
   */
  private void register(String address) {
    if (!registrable(address)) {
      write(err(address, "access_denied"));
    } else if (address.length() > MAX_REGISTERED_ADDRESS_LENGTH) {
      write(err(address, "access_denied: an address to register has at most " + MAX_REGISTERED_ADDRESS_LENGTH + " characters"));
    } else if (!registered.contains(address) && registered.size() >= MAX_REGISTRATIONS) {
      write(err(address, "access_denied: a connection may register at most " + MAX_REGISTRATIONS + " addresses"));
    } else if (!state.register(address, this)) {
      write(err(address, "access_denied: address '" + address + "' is registered by another connection"));
    } else {
      registered.add(address);
    }
  }

  private void unregister(String address) {
    if (!registrable(address)) {
      write(err(address, "access_denied"));
    } else if (!registered.remove(address)) {
      write(err(address, "unknown_address: this connection has not registered '" + address + "'"));
    } else {
      state.unregister(address, this);
    }
  }

  private void request(String address, Object body, DeliveryOptions opts, String replyAddress) {
    String refusal = state.begin();
    if (refusal != null) {
      write(failure(replyAddress, address, 503, ReplyFailure.RECIPIENT_FAILURE.name(), "unavailable: " + refusal));
      return;
    }
    Future<Message<Object>> reply;
    try {
      reply = vertx.eventBus().request(address, body, opts);
    } catch (RuntimeException e) {
      // A body the bus cannot carry (e.g. a bare number too large for a long).
      state.end();
      write(failure(replyAddress, address, 400, ReplyFailure.RECIPIENT_FAILURE.name(), "invalid_argument: body must be a JSON object"));
      return;
    }
    inFlight++;
    flow();
    reply.onComplete(ar -> {
      inFlight--;
      write(answer(ar.succeeded() ? ar.result() : null, ar.cause(), address, replyAddress));
      // Counted out only once the reply is handed to the socket: a stop waits for that.
      state.end();
      flow();
    });
  }

  private static JsonObject answer(Message<Object> reply, Throwable cause, String address, String replyAddress) {
    if (reply != null) {
      return new JsonObject().put("type", "message").put("address", replyAddress).put("send", true).put("body", reply.body());
    }
    if (cause instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      boolean store = isStore(address);
      return failure(replyAddress, address, store ? 503 : 404, re.failureType().name(), store
          ? "unavailable: no store answers at '" + address + "' (not started, or stopping)"
          : "not_found: there is no store at '" + address + "'");
    }
    if (cause instanceof ReplyException re) {
      return failure(replyAddress, address, re.failureCode(), re.failureType().name(), re.getMessage());
    }
    return failure(replyAddress, address, 500, ReplyFailure.RECIPIENT_FAILURE.name(), "internal: " + cause.getMessage());
  }

  private static boolean isStore(String address) {
    for (StoreId s : StoreId.values()) {
      if (s.address().equals(address)) return true;
    }
    return false;
  }

  /** Pauses reading while this client has too much in flight or does not read its replies. */
  private void flow() {
    boolean stop = inFlight >= MAX_IN_FLIGHT_PER_CONNECTION || socket.writeQueueFull();
    if (stop && !paused) {
      paused = true;
      reader.pause();
    } else if (!stop && paused && !closed) {
      paused = false;
      reader.resume();
    }
  }

  static boolean permitted(String address) {
    return address.startsWith(StoreId.ADDRESS_PREFIX) && address.length() > StoreId.ADDRESS_PREFIX.length();
  }

  /** A client's own address: never a store's, never the bus's internals ({@code __vertx.*} and the like). */
  static boolean registrable(String address) {
    return !address.startsWith(StoreId.ADDRESS_PREFIX) && !address.startsWith("__");
  }

  private static JsonObject err(String address, String message) {
    JsonObject frame = new JsonObject().put("type", "err");
    if (address != null) frame.put("address", address);
    return frame.put("message", message);
  }

  private static JsonObject failure(String replyAddress, String source, int code, String type, String message) {
    return new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", source)
        .put("failureCode", code).put("failureType", type).put("message", message);
  }

  private Future<Void> write(JsonObject frame) {
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    lastWrite = socket.write(Buffer.buffer(bytes.length + 4).appendInt(bytes.length).appendBytes(bytes));
    return lastWrite;
  }
}
