package io.piri.db.audit;

import io.piri.db.support.TestBackend;

class PostgresAuditTest extends AuditTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
