package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class SqliteUnstorableInputTest extends UnstorableInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
