package io.piri.db.client.task;

import io.piri.db.core.Clock;
import io.piri.db.core.RetryBackoff;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one task type: long-poll claims for at most {@code limit - running} tasks (so at most
 * {@code limit} run at once, fixes D25), calls the handler for each and reports the outcome. A
 * task counts as running from the moment it is claimed (fixes D27). A completion that cannot reach
 * the store is retried until it is recorded or the task is lost (fixes D8). On the client's context.
 */
final class TypeRunner {
  private static final Logger LOG = Logger.getLogger(TypeRunner.class.getName());
  private final String type;
  private final int limit;
  private final TaskHandler handler;
  private final Context ctx;
  private final Clock clock;
  private final SchedulerBus bus;
  private final SessionKeeper session;
  private final TaskClientOptions options;
  private int running;
  private boolean claiming;
  private boolean stopped;
  private boolean abandoned;
  private final RetryBackoff claimRetry = RetryBackoff.client();
  private Promise<Void> idle;

  TypeRunner(String type, int limit, TaskHandler handler, Context ctx, Clock clock, SchedulerBus bus, SessionKeeper session,
      TaskClientOptions options) {
    this.clock = clock;
    this.type = type;
    this.limit = limit;
    this.handler = handler;
    this.ctx = ctx;
    this.bus = bus;
    this.session = session;
    this.options = options;
  }

  int running() {
    return running;
  }

  /** Claims more if there is room and no claim is under way. */
  void kick() {
    String sid = session.id();
    if (stopped || claiming || running >= limit || sid == null) return;
    claiming = true;
    JsonObject body = new JsonObject().put("session", sid).put("names", new JsonArray().add(type))
        .put("max", limit - running).put("wait_ms", options.claimWaitMs());
    bus.send("task-claim", body, options.claimWaitMs() + options.requestTimeoutMs()).onComplete(ar -> {
      claiming = false;
      if (ar.failed()) {
        claimFailed(sid, ar.cause());
        return;
      }
      claimRetry.reset();
      // after stop, claimed tasks are not started: closing the session releases them
      if (!stopped) {
        for (Object t : ar.result().getJsonArray("tasks")) start(sid, ((JsonObject) t).getLong("id"));
      }
      kick();
    });
  }

  private void claimFailed(String sid, Throwable e) {
    if (stopped) return;
    if (SchedulerBus.code(e) == 404) {
      session.lost(sid);
      return;
    }
    Level level = SchedulerBus.code(e) == 400 ? Level.SEVERE : Level.FINE;
    long wait = claimRetry.next();
    LOG.log(level, "task client: claim of " + type + " failed (" + e.getMessage() + "); trying again in " + wait + " ms");
    clock.setTimer(wait, t -> kick());
  }

  private void start(String sid, long taskId) {
    running++;
    long workStart = clock.now();
    Future<Outcome> result;
    try {
      result = handler.run(taskId);
      if (result == null) result = Future.failedFuture(new IllegalStateException("handler returned no future"));
    } catch (Throwable e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> onContext(() -> {
      Outcome outcome = ar.succeeded() && ar.result() != null ? ar.result()
          : Outcome.failed(ar.failed() ? ar.cause() : new IllegalStateException("handler returned a null outcome"));
      report(sid, taskId, outcome, workStart, clock.now(), RetryBackoff.client())
          .onComplete(x -> finished());
    }));
  }

  private Future<Void> report(String sid, long taskId, Outcome outcome, long workStart, long workEnd, RetryBackoff retry) {
    JsonObject body = new JsonObject().put("id", taskId).put("session", sid).put("outcome", outcome.kind().wire)
        .put("work_start", workStart).put("work_end", workEnd);
    if (outcome.error() != null) body.put("error", outcome.error());
    return bus.send("task-complete", body).<Void>mapEmpty().recover(e -> {
      if (SchedulerBus.lost(e) || SchedulerBus.code(e) == 400) {
        LOG.warning("task client: completing " + type + " task " + taskId + " failed (" + e.getMessage() + ")");
        return Future.succeededFuture();
      }
      if (abandoned) return Future.succeededFuture();
      Promise<Void> later = Promise.promise();
      clock.setTimer(retry.next(), t -> report(sid, taskId, outcome, workStart, workEnd, retry).onComplete(later));
      return later.future();
    });
  }

  private void finished() {
    running--;
    if (stopped) {
      if (running == 0 && idle != null) idle.tryComplete();
    } else {
      kick();
    }
  }

  /** No new claims; completes when every started task has been reported (or never, the caller bounds it). */
  Future<Void> stop() {
    stopped = true;
    idle = Promise.promise();
    if (running == 0) idle.complete();
    return idle.future();
  }

  /** The stop deadline passed: give up reporting; closing the session releases what is left. */
  void abandon() {
    abandoned = true;
  }

  private void onContext(Runnable r) {
    if (Vertx.currentContext() == ctx) r.run();
    else ctx.runOnContext(v -> r.run());
  }
}
