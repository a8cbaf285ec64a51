package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteLeaseTest extends LeaseTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
