package io.piri.db.client.task;

import io.piri.db.core.Clock;
import io.piri.db.core.RetryBackoff;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * The client's session: opens it, heartbeats every ttl/3, opens a new one if the store says the
 * old one expired (its tasks then belong to others), closes it at stop. On the client's context.
 */
final class SessionKeeper {
  private static final Logger LOG = Logger.getLogger(SessionKeeper.class.getName());
  private final Clock clock;
  private final SchedulerBus bus;
  private final TaskClientOptions options;
  private final Runnable onNewSession;
  private String id;
  private long heartbeatTimer = -1;
  private final RetryBackoff reopenRetry = RetryBackoff.client();
  private boolean closed;

  SessionKeeper(Clock clock, SchedulerBus bus, TaskClientOptions options, Runnable onNewSession) {
    this.clock = clock;
    this.bus = bus;
    this.options = options;
    this.onNewSession = onNewSession;
  }

  /** The live session, or null while none is open. */
  String id() {
    return id;
  }

  Future<String> open() {
    return bus.send("session-open", new JsonObject().put("name", options.sessionName()).put("ttl_ms", options.ttlMs()))
        .map(r -> {
          id = r.getString("session");
          reopenRetry.reset();
          if (heartbeatTimer < 0 && !closed) {
            heartbeatTimer = clock.setPeriodic(Math.max(1, options.ttlMs() / 3), t -> heartbeat());
          }
          return id;
        });
  }

  /** The store no longer knows {@code lostId}: open a new session (once per lost id). */
  void lost(String lostId) {
    if (closed || lostId == null || !lostId.equals(id)) return;
    LOG.warning("task client: session " + lostId + " expired; its tasks may run elsewhere; opening a new one");
    id = null;
    reopen();
  }

  private void reopen() {
    if (closed) return;
    open().onSuccess(s -> onNewSession.run()).onFailure(e -> {
      clock.setTimer(reopenRetry.next(), t -> reopen());
    });
  }

  private void heartbeat() {
    String current = id;
    if (current == null || closed) return;
    bus.send("session-heartbeat", new JsonObject().put("session", current))
        .onFailure(e -> {
          if (SchedulerBus.code(e) == 404) lost(current);
        });
  }

  /** Stops heartbeating and closes the session: what it still holds becomes runnable for others. */
  Future<Void> close() {
    closed = true;
    if (heartbeatTimer >= 0) clock.cancelTimer(heartbeatTimer);
    heartbeatTimer = -1;
    String current = id;
    id = null;
    if (current == null) return Future.succeededFuture();
    Promise<Void> p = Promise.promise();
    bus.send("session-close", new JsonObject().put("session", current)).onComplete(ar -> {
      if (ar.failed() && SchedulerBus.code(ar.cause()) != 404) {
        LOG.warning("task client: closing session " + current + " failed (" + ar.cause().getMessage()
            + "); its tasks return once it expires");
      }
      p.complete();
    });
    return p.future();
  }
}
