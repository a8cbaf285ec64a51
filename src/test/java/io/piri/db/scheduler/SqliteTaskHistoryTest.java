package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteTaskHistoryTest extends TaskHistoryTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
