package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresTaskBadInputTest extends TaskBadInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
