package io.piri.db.bridge;

import io.piri.db.support.TestBackend;

class PostgresBridgeTest extends BridgeTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
