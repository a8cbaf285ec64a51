package io.piri.db.scheduler;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.core.Clock;
import io.piri.db.core.DueTimer;
import io.piri.db.core.Waiters;
import io.vertx.core.Future;
import io.piri.db.backend.Tx;
import io.vertx.core.Vertx;
import java.util.logging.Logger;

/**
 * What wakes waiting claims, without polling. Changes are announced after their transaction
 * commits (so every instance on the same PostgreSQL hears them), in the waiters' format
 * {@code "<key> <at>"}: on channel {@value #CHANNEL}, a task of type {@code key} becomes runnable
 * at {@code at} (now for an added task, later for a retry), or tasks of any type ({@code key}
 * {@code *}) went back to runnable; on channel {@value #SESSIONS}, session {@code key} expires at
 * {@code at} unless it heartbeats. Due times use two {@link DueTimer}s, for the next runnable
 * task and the next session expiry, re-armed from the database (MIN of each) when one fires; with
 * no session and no waiting task no timer is set. When a timer finds expired sessions it deletes
 * them, which releases their tasks. Both change the task counts (a retry wait ended, held tasks
 * went back), which is announced as a change event. Used on the store's context only.
 */
final class TaskEvents {
  static final String CHANNEL = "task";
  static final String SESSIONS = "session";
  private static final Logger LOG = Logger.getLogger(TaskEvents.class.getName());
  private static final long RETRY_AFTER_ERROR_MS = 1_000;

  private final Clock clock;
  private final Database db;
  private final Statements sql;
  private final Waiters waiters;
  private final DueTimer runnable;
  private final DueTimer expiry;
  private final SchedulerChanges changes;
  private boolean stopped;

  TaskEvents(Clock clock, Database db, Statements sql, Waiters waiters, SchedulerChanges changes) {
    this.clock = clock;
    this.db = db;
    this.sql = sql;
    this.waiters = waiters;
    this.changes = changes;
    this.runnable = new DueTimer(clock, () -> {
      waiters.wakeAll();
      changes.tasks();
      check();
    });
    this.expiry = new DueTimer(clock, this::check);
  }

  /** Listens for changes and looks once at the database (sessions that expired while down). */
  void start() {
    db.listen(CHANNEL, this::onTask);
    db.listen(SESSIONS, this::onSession);
    check();
  }

  void stop() {
    stopped = true;
    runnable.cancel();
    expiry.cancel();
  }

  /** Inside a write: a task of {@code name} is runnable now. */
  Future<Void> added(Tx conn, String name) {
    return conn.notifyAfterCommit(CHANNEL, new Waiters.Wakeup(name, clock.now()).payload());
  }

  /** Inside a write: a task of {@code name} becomes runnable at {@code at}. */
  Future<Void> runnableAt(Tx conn, String name, long at) {
    return conn.notifyAfterCommit(CHANNEL, new Waiters.Wakeup(name, at).payload());
  }

  /** Inside a write: {@code session} expires at {@code at} unless it heartbeats. */
  Future<Void> expiresAt(Tx conn, String session, long at) {
    return conn.notifyAfterCommit(SESSIONS, new Waiters.Wakeup(session, at).payload());
  }

  /** Inside a write: tasks (of any type) went back to runnable. */
  Future<Void> released(Tx conn) {
    return conn.notifyAfterCommit(CHANNEL, new Waiters.Wakeup(Waiters.ANY, clock.now()).payload());
  }

  private void onTask(String payload) {
    if (stopped) return;
    Waiters.Wakeup w = Waiters.Wakeup.parse(payload);
    if (w == null) {
      waiters.wakeAll();
      check();
    } else if (w.at() <= clock.now()) {
      waiters.notified(w.key(), w.at());
    } else {
      // A retry: the timer wakes every claim then and looks for the next one in the database.
      runnable.at(w.at());
    }
  }

  private void onSession(String payload) {
    if (stopped) return;
    Waiters.Wakeup w = Waiters.Wakeup.parse(payload);
    if (w == null) {
      check();
    } else {
      expiry.at(w.at());
    }
  }

  /** Deletes expired sessions (releasing their tasks), then arms the timers at what is due next. */
  private void check() {
    if (stopped) return;
    long now = clock.now();
    nextDue(now)
        .compose(due -> due.expiry != null && due.expiry <= now ? reap(now).compose(v -> nextDue(now)) : Future.succeededFuture(due))
        .onSuccess(due -> {
          if (stopped) return;
          if (due.expiry != null) expiry.at(due.expiry);
          if (due.runnable != null) runnable.at(due.runnable);
        })
        .onFailure(e -> {
          if (stopped) return;
          LOG.warning("scheduler: cannot look for due tasks and sessions (" + e.getMessage() + "); trying again");
          expiry.in(RETRY_AFTER_ERROR_MS);
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
    return changes.write(db, (c, touched) -> c.run(sql.get("session-reap"), now).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture();
      LOG.info(() -> "scheduler: " + rows.size() + " expired session(s) removed; their tasks are runnable again");
      touched.tasks();
      return released(c);
    }));
  }
}
