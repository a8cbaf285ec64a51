package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresLeaseTest extends LeaseTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
