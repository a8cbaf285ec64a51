package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteTaskLifecycleTest extends TaskLifecycleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
