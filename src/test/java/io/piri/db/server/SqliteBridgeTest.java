package io.piri.db.server;

import io.piri.db.support.TestBackend;

class SqliteBridgeTest extends BridgeTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
