package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteEnqueueClaimTest extends EnqueueClaimTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
