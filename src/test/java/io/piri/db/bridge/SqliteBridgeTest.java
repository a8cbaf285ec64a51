package io.piri.db.bridge;

import io.piri.db.support.TestBackend;

class SqliteBridgeTest extends BridgeTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
