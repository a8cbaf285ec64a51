package io.piri.db.scheduler;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.core.Clock;
import io.piri.db.core.DueTimer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Deletes {@code task_history} rows recorded more than {@code scheduler.history_retention} ago
 * (fixes D13), off the request path: {@value #BATCH} rows per transaction, so a large backlog
 * never holds the writer long. A timer is set only while history exists: at the moment its oldest
 * row expires, but at most once per {@code clamp(retention / 10, 1 s, 1 h)} (hourly with the
 * default 720 h). A completion arms it when it is not armed. Retention 0 keeps history forever.
 * Used on the store's context only.
 */
final class HistoryPruner {
  static final int BATCH = 500;
  private static final Logger LOG = Logger.getLogger(HistoryPruner.class.getName());

  private final Clock clock;
  private final Database db;
  private final Statements sql;
  private final long retentionMs;
  private final long minIntervalMs;
  private final DueTimer timer;
  private long lastRun;
  private boolean running;
  private boolean stopped;

  HistoryPruner(Clock clock, Database db, Statements sql, Duration retention) {
    this.clock = clock;
    this.timer = new DueTimer(clock, this::run);
    this.db = db;
    this.sql = sql;
    this.retentionMs = retention.toMillis();
    this.minIntervalMs = Math.max(1_000, Math.min(3_600_000, retentionMs / 10));
  }

  void start() {
    if (retentionMs > 0) run();
  }

  void stop() {
    stopped = true;
    timer.cancel();
  }

  /** A history row was just recorded: make sure it will be pruned in time. */
  void recorded(long at) {
    if (retentionMs > 0 && !timer.armed() && !running && !stopped) arm(at + retentionMs);
  }

  private void arm(long at) {
    if (stopped) return;
    timer.cancel();
    timer.at(Math.max(at, lastRun + minIntervalMs));
  }

  private void run() {
    if (stopped || running) return;
    running = true;
    lastRun = clock.now();
    long cutoff = lastRun - retentionMs;
    oldest()
        .compose(oldest -> oldest != null && oldest < cutoff ? deleteBatches(cutoff, 0) : Future.succeededFuture(0L))
        .compose(deleted -> {
          if (deleted > 0) LOG.info(() -> "scheduler: pruned " + deleted + " task_history rows older than " + retentionMs + " ms");
          return oldest();
        })
        .onComplete(ar -> {
          running = false;
          if (ar.failed()) {
            LOG.warning("scheduler: history pruning failed (" + ar.cause().getMessage() + "); trying again later");
            arm(clock.now() + minIntervalMs);
          } else if (ar.result() != null) {
            arm(ar.result() + retentionMs);
          }
        });
  }

  private Future<Long> oldest() {
    return db.read(c -> c.run(sql.get("history-oldest"))
        .map(rows -> rows.first().optLong("oldest")));
  }

  private Future<Long> deleteBatches(long cutoff, long total) {
    if (stopped) return Future.succeededFuture(total);
    return db.write(c -> c.run(sql.get("history-prune"), cutoff, (long) BATCH))
        .compose(r -> r.updated() < BATCH ? Future.succeededFuture(total + r.updated())
            : deleteBatches(cutoff, total + r.updated()));
  }
}
