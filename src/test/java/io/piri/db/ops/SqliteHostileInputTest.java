package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class SqliteHostileInputTest extends HostileInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
