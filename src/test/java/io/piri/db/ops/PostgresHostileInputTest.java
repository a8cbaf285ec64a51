package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class PostgresHostileInputTest extends HostileInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
