package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresCountersTest extends CountersTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
