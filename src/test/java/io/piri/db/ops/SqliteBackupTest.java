package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class SqliteBackupTest extends BackupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
