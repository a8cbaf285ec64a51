package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteStatsOneQueueTest extends StatsOneQueueTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
