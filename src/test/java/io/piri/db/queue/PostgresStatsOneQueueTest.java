package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresStatsOneQueueTest extends StatsOneQueueTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
