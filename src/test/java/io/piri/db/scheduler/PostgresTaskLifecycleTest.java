package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresTaskLifecycleTest extends TaskLifecycleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
