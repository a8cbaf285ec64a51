package io.piri.db.queue;

/**
 * Claim times of one queue in one minute, in fixed buckets: a few dozen longs whatever the number
 * of claims, and two histograms add up bucket by bucket. A percentile is the upper bound of the
 * bucket it falls in (never below the truth, at most one bucket above), capped by the largest
 * time seen.
 */
final class ClaimHistogram {
  /** Upper bounds in microseconds; the last bucket takes everything longer. */
  private static final long[] BOUNDS_US = {
      50, 100, 150, 200, 300, 400, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000,
      30_000, 50_000, 75_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, Long.MAX_VALUE};

  private final long[] counts = new long[BOUNDS_US.length];
  private long total;
  private long maxUs;

  void record(long nanos) {
    long us = Math.max(0, nanos / 1_000);
    int i = 0;
    while (us > BOUNDS_US[i]) i++;
    counts[i]++;
    total++;
    maxUs = Math.max(maxUs, us);
  }

  void add(ClaimHistogram other) {
    for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
    total += other.total;
    maxUs = Math.max(maxUs, other.maxUs);
  }

  /** The {@code p}-th percentile (0 < p <= 1) in microseconds; null without claims. */
  Long percentileUs(double p) {
    if (total == 0) return null;
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return Math.min(BOUNDS_US[i], maxUs);
    }
    return maxUs;
  }
}
