package io.piri.db.core;

/**
 * The wait between attempts of something that failed and is tried again (a claim, a report, a
 * session, a connection): {@code first}, doubling up to {@code max}, back to {@code first} after a
 * success. Not thread-safe: one per retry loop, on its context.
 */
public final class RetryBackoff {
  private final long firstMs;
  private final long maxMs;
  private long nextMs;

  public RetryBackoff(long firstMs, long maxMs) {
    if (firstMs < 1 || maxMs < firstMs) throw new IllegalArgumentException("backoff " + firstMs + ".." + maxMs + " ms");
    this.firstMs = firstMs;
    this.maxMs = maxMs;
    this.nextMs = firstMs;
  }

  /** The clients' retries: 100 ms doubling up to 5 s. */
  public static RetryBackoff client() {
    return new RetryBackoff(100, 5_000);
  }

  /** The wait before the next attempt; the one after will be twice as long, up to the maximum. */
  public long next() {
    long wait = nextMs;
    nextMs = Math.min(maxMs, nextMs * 2);
    return wait;
  }

  /** The last attempt succeeded: the next failure waits {@code first} again. */
  public void reset() {
    nextMs = firstMs;
  }
}
