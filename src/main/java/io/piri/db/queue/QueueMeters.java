package io.piri.db.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A queue store's totals for /metrics: jobs enqueued, completed and failed, and the time a
 * claim's database work takes (not the long-poll wait); each also goes to the store's per-minute
 * {@link Rollups}. Queue names are validated against the configuration before they get here, so
 * the label set stays bounded. Used from the store's event loop only.
 */
final class QueueMeters {
  private final MeterRegistry registry;
  private final String store;
  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Timer> claims = new HashMap<>();
  private final Rollups rollups;

  QueueMeters(MeterRegistry registry, String store, Rollups rollups) {
    this.registry = registry;
    this.store = store;
    this.rollups = rollups;
  }

  void enqueued(String queue, long n) {
    if (n > 0) counter("piri.db.jobs.enqueued", queue, null, "jobs enqueued (duplicates not counted)").increment(n);
    rollups.enqueued(queue, n);
  }

  void completed(String queue, long n) {
    if (n > 0) counter("piri.db.jobs.completed", queue, null, "jobs completed").increment(n);
    rollups.completed(queue, n);
  }

  /** {@code state}: what the failure did to the job, scheduled (retry) or dead. */
  void failed(String queue, String state) {
    counter("piri.db.jobs.failed", queue, state, "failed attempts reported with fail, by the job's next state").increment();
    rollups.failed(queue);
    if (state.equals(Counts.DEAD)) rollups.dead(queue, 1);
  }

  /** Jobs dead-lettered because their last attempt's lease ran out (no fail was reported). */
  void reaped(String queue, long n) {
    rollups.dead(queue, n);
  }

  void claimed(String queue, long nanos, int jobs) {
    rollups.claimed(queue, nanos, jobs);
    claims.computeIfAbsent(queue, q -> Timer.builder("piri.db.claim")
        .description("database time of one claim attempt (excludes long-poll waiting)")
        .tags("store", store, "queue", q)
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(100))
        .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Counter counter(String name, String queue, String state, String description) {
    return counters.computeIfAbsent(name + " " + queue + " " + state, k -> {
      Counter.Builder b = Counter.builder(name).description(description).tags("store", store, "queue", queue);
      if (state != null) b.tag("state", state);
      return b.register(registry);
    });
  }
}
