package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpRootsTest extends PdpRootsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
