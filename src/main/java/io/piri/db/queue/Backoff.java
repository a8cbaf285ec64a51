package io.piri.db.queue;

import io.piri.db.config.QueueConfig;
import java.util.concurrent.ThreadLocalRandom;

/** Retry delay after a failed attempt: min(max, base * 2^(attempt-1)), with ±20% jitter. */
final class Backoff {
  private Backoff() {}

  static long delayMs(QueueConfig q, int attempt) {
    long base = q.backoffBase().toMillis();
    long max = q.backoffMax().toMillis();
    int shift = Math.min(Math.max(attempt - 1, 0), 40);
    long raw = base << shift;
    long capped = raw < base || raw > max ? max : raw;
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Math.max(0, Math.round(capped * jitter));
  }
}
