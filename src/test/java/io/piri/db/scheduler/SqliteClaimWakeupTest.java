package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteClaimWakeupTest extends ClaimWakeupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
