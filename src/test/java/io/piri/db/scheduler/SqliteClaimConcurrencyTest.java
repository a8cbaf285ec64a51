package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteClaimConcurrencyTest extends ClaimConcurrencyTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
