package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteClaimLimitsTest extends ClaimLimitsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
