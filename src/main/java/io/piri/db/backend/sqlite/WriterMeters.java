package io.piri.db.backend.sqlite;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** What a SQLite writer reports to /metrics: requests per group commit and the commit's time. */
interface WriterMeters {
  WriterMeters NONE = new WriterMeters() {
    @Override
    public void batch(int requests) {}

    @Override
    public void committed(long nanos) {}
  };

  void batch(int requests);

  void committed(long nanos);

  static WriterMeters of(MeterRegistry registry, String store) {
    DistributionSummary sizes = DistributionSummary.builder("piri.db.sqlite.batch.size")
        .description("requests per SQLite group commit").tag("store", store)
        .serviceLevelObjectives(1, 2, 4, 16, 64, 256, 512).register(registry);
    Timer commits = Timer.builder("piri.db.sqlite.commit")
        .description("time of a SQLite COMMIT (the WAL write)").tag("store", store)
        .serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5),
            java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(100))
        .register(registry);
    return new WriterMeters() {
      @Override
      public void batch(int requests) {
        sizes.record(requests);
      }

      @Override
      public void committed(long nanos) {
        commits.record(nanos, TimeUnit.NANOSECONDS);
      }
    };
  }
}
