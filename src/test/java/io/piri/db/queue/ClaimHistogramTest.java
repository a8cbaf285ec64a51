package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Percentiles from fixed buckets: the bucket's upper bound, never above the longest claim seen. */
class ClaimHistogramTest {
  private static final long US = 1_000;

  @Test
  void emptyHasNoPercentile() {
    assertNull(new ClaimHistogram().percentileUs(0.5));
  }

  @Test
  void aPercentileIsTheUpperBoundOfItsBucket() {
    ClaimHistogram h = new ClaimHistogram();
    for (int i = 0; i < 90; i++) h.record(120 * US);
    for (int i = 0; i < 9; i++) h.record(4_000 * US);
    h.record(40_000 * US);
    assertEquals(150, h.percentileUs(0.50));
    assertEquals(5_000, h.percentileUs(0.95));
    assertEquals(5_000, h.percentileUs(0.99));
    assertEquals(40_000, h.percentileUs(1.0), "capped by the longest claim, not its bucket's bound (50 ms)");
  }

  @Test
  void histogramsAddUp() {
    ClaimHistogram a = new ClaimHistogram();
    ClaimHistogram b = new ClaimHistogram();
    a.record(80 * US);
    b.record(9_000_000 * US);
    b.record(9_000_000 * US);
    a.add(b);
    assertEquals(9_000_000, a.percentileUs(0.5), "beyond the last bound: the longest seen");
    assertEquals(100, a.percentileUs(0.3));
  }
}
