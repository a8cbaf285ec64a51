package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresStatsTest extends StatsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
