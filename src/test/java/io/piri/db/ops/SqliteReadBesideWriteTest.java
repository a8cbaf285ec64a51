package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class SqliteReadBesideWriteTest extends ReadBesideWriteTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
