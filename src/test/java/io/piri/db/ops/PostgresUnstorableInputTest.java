package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class PostgresUnstorableInputTest extends UnstorableInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
