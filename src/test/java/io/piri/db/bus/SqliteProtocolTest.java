package io.piri.db.bus;

import io.piri.db.support.TestBackend;

class SqliteProtocolTest extends ProtocolTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
