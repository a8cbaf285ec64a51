package io.piri.db.scheduler;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.logging.Logger;

/**
 * What wakes waiting claims, without polling. Changes are announced on the notification channel
 * {@value #CHANNEL} after their transaction commits (so every instance on the same PostgreSQL
 * hears them): {@code add:<name>} (a task is runnable now), {@code retry:<ms>} (a task becomes
 * runnable then), {@code expiry:<ms>} (a session expires then), {@code release} (tasks went back
 * to runnable). Time-based events use one timer, set to the earliest known due time and re-armed
 * from the database (MIN of session expiry and waiting task) when it fires; with no session and no
 * waiting task no timer is set. When the timer finds expired sessions it deletes them, which
 * releases their tasks. Used on the store's context only.
 */
final class TaskEvents {
  static final String CHANNEL = "task";
  private static final Logger LOG = Logger.getLogger(TaskEvents.class.getName());
  private static final long RETRY_AFTER_ERROR_MS = 1_000;

  private final Vertx vertx;
  private final Database db;
  private final Statements sql;
  private final ClaimWaiters waiters;
  private long timerId = -1;
  private long armedAt = Long.MAX_VALUE;
  private boolean armedForTask;
  private boolean stopped;

  TaskEvents(Vertx vertx, Database db, Statements sql, ClaimWaiters waiters) {
    this.vertx = vertx;
    this.db = db;
    this.sql = sql;
    this.waiters = waiters;
  }

  /** Listens for changes and looks once at the database (sessions that expired while down). */
  void start() {
    db.listen(CHANNEL, this::onNotification);
    check();
  }

  void stop() {
    stopped = true;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    timerId = -1;
  }

  /** Inside a write: a task of {@code name} is runnable now. */
  Future<Void> added(Tx conn, String name) {
    return conn.notifyAfterCommit(CHANNEL, "add:" + name);
  }

  /** Inside a write: a task becomes runnable at {@code at}. */
  Future<Void> retryAt(Tx conn, long at) {
    return conn.notifyAfterCommit(CHANNEL, "retry:" + at);
  }

  /** Inside a write: a session expires at {@code at} unless it heartbeats. */
  Future<Void> expiresAt(Tx conn, long at) {
    return conn.notifyAfterCommit(CHANNEL, "expiry:" + at);
  }

  /** Inside a write: tasks went back to runnable. */
  Future<Void> released(Tx conn) {
    return conn.notifyAfterCommit(CHANNEL, "release");
  }

  private void onNotification(String payload) {
    if (stopped) return;
    if (payload == null) {
      waiters.wakeAll();
      check();
    } else if (payload.startsWith("add:")) {
      waiters.wake(payload.substring(4));
    } else if (payload.startsWith("retry:")) {
      arm(Long.parseLong(payload.substring(6)), true);
    } else if (payload.startsWith("expiry:")) {
      arm(Long.parseLong(payload.substring(7)), false);
    } else if (payload.equals("release")) {
      waiters.wakeAll();
    }
  }

  private void arm(long at, boolean forTask) {
    if (stopped) return;
    if (at == armedAt) armedForTask |= forTask;
    if (at >= armedAt) return;
    if (timerId >= 0) vertx.cancelTimer(timerId);
    armedAt = at;
    armedForTask = forTask;
    long delay = Math.max(1, at - System.currentTimeMillis() + 1);
    timerId = vertx.setTimer(delay, t -> {
      timerId = -1;
      armedAt = Long.MAX_VALUE;
      if (armedForTask) waiters.wakeAll();
      check();
    });
  }

  /** Deletes expired sessions (releasing their tasks), then arms the timer at what is due next. */
  private void check() {
    if (stopped) return;
    long now = System.currentTimeMillis();
    nextDue(now)
        .compose(due -> due.expiry != null && due.expiry <= now ? reap(now).compose(v -> nextDue(now)) : Future.succeededFuture(due))
        .onSuccess(due -> {
          if (due.expiry != null) arm(due.expiry, false);
          if (due.runnable != null) arm(due.runnable, true);
        })
        .onFailure(e -> {
          if (stopped) return;
          LOG.warning("scheduler: cannot look for due tasks and sessions (" + e.getMessage() + "); trying again");
          vertx.setTimer(RETRY_AFTER_ERROR_MS, t -> check());
        });
  }

  private record Due(Long expiry, Long runnable) {}

  private Future<Due> nextDue(long now) {
    return db.read(c -> c.run(sql.get("next-due"), now).map(rows -> {
      Row r = rows.first();
      return new Due(r.optLong("next_expiry"), r.optLong("next_runnable"));
    }));
  }

  private Future<Void> reap(long now) {
    return db.write(c -> c.run(sql.get("session-reap"), now).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture();
      LOG.info(() -> "scheduler: " + rows.size() + " expired session(s) removed; their tasks are runnable again");
      return released(c);
    }));
  }
}
