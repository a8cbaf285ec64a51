package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresExactlyOnceTest extends ExactlyOnceTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
