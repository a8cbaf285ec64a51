package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteTaskBadInputTest extends TaskBadInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
