package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpBadInputTest extends PdpBadInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
