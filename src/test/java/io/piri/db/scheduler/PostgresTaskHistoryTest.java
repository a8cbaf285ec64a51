package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresTaskHistoryTest extends TaskHistoryTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
