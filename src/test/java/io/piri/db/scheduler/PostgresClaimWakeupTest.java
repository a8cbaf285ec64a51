package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresClaimWakeupTest extends ClaimWakeupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
