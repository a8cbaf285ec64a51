package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresJobViewsTest extends JobViewsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
