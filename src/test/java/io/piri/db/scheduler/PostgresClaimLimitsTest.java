package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresClaimLimitsTest extends ClaimLimitsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
