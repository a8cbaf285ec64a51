package io.piri.db.scheduler.pdp;

import io.piri.db.core.Clock;
import io.piri.db.core.DueTimer;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Retention of chain messages (D13), off by default ({@code scheduler.message_retention} 0):
 * confirmed or failed {@code message_waits_eth} rows that nothing Piri reads refers to any more,
 * and finished {@code message_sends_eth} rows whose task is gone (each sender's highest successful
 * nonce stays), once older than the retention. A pass runs {@code clamp(retention / 10, 1 s, 1 h)}
 * after the previous one ended, {@value #BATCH} rows per transaction so a backlog never holds the
 * writer long. Used on the store's context only.
 */
final class MessagePruner {
  static final int BATCH = 500;
  private static final Logger LOG = Logger.getLogger(MessagePruner.class.getName());

  private final Clock clock;
  private final Sql sql;
  private final long retentionMs;
  private final long everyMs;
  private final DueTimer timer;
  private boolean stopped;

  MessagePruner(Clock clock, Sql sql, Duration retention) {
    this.clock = clock;
    this.sql = sql;
    this.retentionMs = retention.toMillis();
    this.everyMs = Math.max(1_000, Math.min(3_600_000, retentionMs / 10));
    this.timer = new DueTimer(clock, () -> run().onComplete(ar -> next()));
  }

  void start() {
    if (retentionMs > 0) next();
  }

  void stop() {
    stopped = true;
    timer.cancel();
  }

  private void next() {
    if (!stopped) timer.in(everyMs);
  }

  /** One pass over both tables. */
  private Future<Long> run() {
    long cutoff = clock.now() - retentionMs;
    return batches("prune-waits", cutoff, 0)
        .compose(waits -> batches("prune-sends", cutoff, 0).map(sends -> {
          if (waits + sends > 0) LOG.info(() -> "scheduler: pruned " + waits + " message waits and " + sends + " sends");
          return waits + sends;
        }))
        .onFailure(e -> LOG.warning("scheduler: message pruning failed (" + e.getMessage() + "); trying again later"));
  }

  private Future<Long> batches(String statement, long cutoff, long total) {
    if (stopped) return Future.succeededFuture(total);
    return sql.write(null, null, c -> sql.run(c, statement, cutoff, (long) BATCH))
        .compose(r -> r.updated() < BATCH ? Future.succeededFuture(total + r.updated())
            : batches(statement, cutoff, total + r.updated()));
  }
}
