package io.piri.db.audit;

import io.piri.db.support.TestBackend;

class SqliteAuditTest extends AuditTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
