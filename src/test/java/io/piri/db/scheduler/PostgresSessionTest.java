package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresSessionTest extends SessionTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
