package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresEnqueueClaimTest extends EnqueueClaimTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
