package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresClaimConcurrencyTest extends ClaimConcurrencyTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
