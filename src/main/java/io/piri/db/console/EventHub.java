package io.piri.db.console;

import io.piri.db.bus.ChangeEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The node's one subscriber to the stores' change events ({@link ChangeEvents#ADDRESS}), fanned
 * out to every open console as server-sent events. A change is read once, whatever the number of
 * tabs: each topic (a queue's counts, the task counts, the proof sets) has at most one read in
 * flight, at most one every {@link #MIN_INTERVAL_MS}, and changes that arrive meanwhile share the
 * next read. With no console open, events are dropped unread; with no events, nothing is read.
 */
final class EventHub {
  private static final Logger LOG = Logger.getLogger(EventHub.class.getName());
  /** Bounds the reads one busy queue causes, well inside the 500 ms a change may take to show. */
  static final long MIN_INTERVAL_MS = 200;
  /** Comment lines keep proxies and browsers from closing an idle stream. */
  static final long KEEPALIVE_MS = 20_000;
  static final int MAX_CLIENTS = 256;

  /** Reads a topic's current data when it changed; null data means nothing to send. */
  interface Source {
    Future<JsonObject> read();
  }

  private final Vertx vertx;
  private final Map<String, String> queueStores;
  private final Map<String, Topic> topics = new HashMap<>();
  private final Set<HttpServerResponse> clients = new LinkedHashSet<>();
  private final Supplier<Source> tasks;
  private final java.util.function.Function<String, Source> queueCounts;
  private MessageConsumer<Object> consumer;
  private long keepalive = -1;
  private long seq;

  EventHub(Vertx vertx, Map<String, String> queueStores, java.util.function.Function<String, Source> queueCounts,
           Supplier<Source> tasks) {
    this.vertx = vertx;
    this.queueStores = queueStores;
    this.queueCounts = queueCounts;
    this.tasks = tasks;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(ChangeEvents.ADDRESS, this::onEvent);
    return consumer.completion();
  }

  Future<Void> stop() {
    List<HttpServerResponse> open;
    synchronized (this) {
      open = new ArrayList<>(clients);
      clients.clear();
      stopKeepalive();
    }
    open.forEach(r -> r.end().recover(e -> Future.succeededFuture()));
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  synchronized int clientCount() {
    return clients.size();
  }

  /** GET /api/events: the stream stays open until the client goes. */
  void open(RoutingContext ctx) {
    HttpServerResponse r = ctx.response();
    synchronized (this) {
      if (clients.size() >= MAX_CLIENTS) {
        Api.fail(ctx, new ApiError(503, "unavailable", "too many open event streams (" + MAX_CLIENTS + ")"));
        return;
      }
      // A first watcher after a quiet spell must not be compared with counts nobody saw.
      if (clients.isEmpty()) topics.values().forEach(t -> t.last = null);
      clients.add(r);
      if (keepalive < 0) keepalive = vertx.setPeriodic(KEEPALIVE_MS, id -> comment());
    }
    r.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    r.closeHandler(v -> remove(r));
    r.write("retry: 3000\n: open\n\n");
  }

  private synchronized void remove(HttpServerResponse r) {
    clients.remove(r);
    if (clients.isEmpty()) stopKeepalive();
  }

  private void stopKeepalive() {
    if (keepalive >= 0) vertx.cancelTimer(keepalive);
    keepalive = -1;
  }

  /** {@code {"store", "queue"}} or {@code {"store": "scheduler", "area": "tasks"|"proofsets"}}. */
  private void onEvent(Message<Object> msg) {
    if (msg.isSend() || !(msg.body() instanceof JsonObject e)) return;
    String store = e.getValue("store") instanceof String s ? s : null;
    if (store == null) return;
    String key;
    String event;
    Source source;
    if (e.getValue("queue") instanceof String queue) {
      if (!store.equals(queueStores.get(queue))) return;
      key = "queue:" + queue;
      event = "queue";
      source = queueCounts.apply(queue);
    } else if (store.equals("scheduler") && "tasks".equals(e.getValue("area"))) {
      key = "tasks";
      event = "tasks";
      source = tasks.get();
    } else if (store.equals("scheduler") && "proofsets".equals(e.getValue("area"))) {
      key = "proofsets";
      event = "proofsets";
      source = () -> Future.succeededFuture(new JsonObject().put("store", "scheduler").put("area", "proofsets"));
    } else {
      return;
    }
    synchronized (this) {
      if (clients.isEmpty()) return;
      topics.computeIfAbsent(key, k -> new Topic(event, !event.equals("proofsets"))).changed(source);
    }
  }

  /** One thing the consoles watch, read at most once at a time and at most once per interval. */
  private final class Topic {
    final String event;
    final boolean onlyWhenDifferent;
    boolean reading;
    boolean dirty;
    long timer = -1;
    long lastRead;
    JsonObject last;

    Topic(String event, boolean onlyWhenDifferent) {
      this.event = event;
      this.onlyWhenDifferent = onlyWhenDifferent;
    }

    /** Called with the hub's lock held. */
    void changed(Source source) {
      if (reading || timer >= 0) {
        dirty = true;
        return;
      }
      long wait = lastRead + MIN_INTERVAL_MS - System.currentTimeMillis();
      if (wait > 0) {
        timer = vertx.setTimer(wait, id -> {
          synchronized (EventHub.this) {
            timer = -1;
            read(source);
          }
        });
      } else {
        read(source);
      }
    }

    private void read(Source source) {
      reading = true;
      dirty = false;
      lastRead = System.currentTimeMillis();
      source.read().onComplete(ar -> {
        synchronized (EventHub.this) {
          reading = false;
          if (ar.failed()) {
            LOG.fine(() -> "console events: reading " + event + " failed: " + ar.cause().getMessage());
          } else if (ar.result() != null && (!onlyWhenDifferent || !ar.result().equals(last))) {
            last = ar.result();
            broadcast(event, ar.result());
          }
          if (dirty && !clients.isEmpty()) changed(source);
        }
      });
    }
  }

  /** Called with the hub's lock held. A client that does not read its stream is dropped. */
  private void broadcast(String event, JsonObject data) {
    String frame = "event: " + event + "\nid: " + (++seq) + "\ndata: " + data.encode() + "\n\n";
    for (var it = clients.iterator(); it.hasNext(); ) {
      HttpServerResponse r = it.next();
      if (r.writeQueueFull()) {
        it.remove();
        r.reset();
      } else {
        r.write(frame);
      }
    }
  }

  private synchronized void comment() {
    for (HttpServerResponse r : clients) {
      if (!r.writeQueueFull()) r.write(": keepalive\n\n");
    }
  }
}
