package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteStatsTest extends StatsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
