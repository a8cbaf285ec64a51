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
 * claim's database work takes (not the long-poll wait). Queue names are validated against the
 * configuration before they get here, so the label set stays bounded. Used from the store's
 * event loop only.
 */
final class QueueMeters {
  private final MeterRegistry registry;
  private final String store;
  private final Map<String, Counter> counters = new HashMap<>();
  private final Map<String, Timer> claims = new HashMap<>();

  QueueMeters(MeterRegistry registry, String store) {
    this.registry = registry;
    this.store = store;
  }

  void enqueued(String queue, long n) {
    if (n > 0) counter("piri.db.jobs.enqueued", queue, null, "jobs enqueued (duplicates not counted)").increment(n);
  }

  void completed(String queue, long n) {
    if (n > 0) counter("piri.db.jobs.completed", queue, null, "jobs completed").increment(n);
  }

  /** {@code state}: what the failure did to the job, scheduled (retry) or dead. */
  void failed(String queue, String state) {
    counter("piri.db.jobs.failed", queue, state, "failed attempts reported with fail, by the job's next state").increment();
  }

  void claimed(String queue, long nanos) {
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
