package io.piri.db.bus;

import io.piri.db.support.TestBackend;

class PostgresProtocolTest extends ProtocolTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
