package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class PostgresBackupTest extends BackupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
