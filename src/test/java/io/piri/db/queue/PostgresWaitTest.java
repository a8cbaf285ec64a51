package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresWaitTest extends WaitTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
