package io.piri.db.scheduler.pdp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Retention of chain messages (D13), off by default ({@code scheduler.message_retention} 0):
 * confirmed or failed {@code message_waits_eth} rows that nothing Piri reads refers to any more,
 * and finished {@code message_sends_eth} rows whose task is gone (each sender's highest successful
 * nonce stays), once older than the retention. It runs from a timer every
 * {@code clamp(retention / 10, 1 s, 1 h)}, {@value #BATCH} rows per transaction so a backlog
 * never holds the writer long. Used on the store's context only.
 */
final class MessagePruner {
  static final int BATCH = 500;
  private static final Logger LOG = Logger.getLogger(MessagePruner.class.getName());

  private final Vertx vertx;
  private final Sql sql;
  private final long retentionMs;
  private long timerId = -1;
  private boolean running;

  MessagePruner(Vertx vertx, Sql sql, Duration retention) {
    this.vertx = vertx;
    this.sql = sql;
    this.retentionMs = retention.toMillis();
  }

  void start() {
    if (retentionMs <= 0) return;
    long every = Math.max(1_000, Math.min(3_600_000, retentionMs / 10));
    timerId = vertx.setPeriodic(every, every, t -> run());
  }

  void stop() {
    if (timerId >= 0) vertx.cancelTimer(timerId);
    timerId = -1;
  }

  /** One pass over both tables; a pass still running when the timer fires again is not doubled. */
  Future<Long> run() {
    if (running) return Future.succeededFuture(0L);
    running = true;
    long cutoff = System.currentTimeMillis() - retentionMs;
    return batches("prune-waits", cutoff, 0)
        .compose(waits -> batches("prune-sends", cutoff, 0).map(sends -> {
          if (waits + sends > 0) LOG.info(() -> "scheduler: pruned " + waits + " message waits and " + sends + " sends");
          return waits + sends;
        }))
        .onComplete(ar -> {
          running = false;
          if (ar.failed()) LOG.warning("scheduler: message pruning failed (" + ar.cause().getMessage() + "); trying again later");
        });
  }

  private Future<Long> batches(String statement, long cutoff, long total) {
    if (timerId < 0) return Future.succeededFuture(total);
    return sql.write(null, null, c -> sql.run(c, statement, cutoff, (long) BATCH))
        .compose(r -> r.updated() < BATCH ? Future.succeededFuture(total + r.updated())
            : batches(statement, cutoff, total + r.updated()));
  }
}
