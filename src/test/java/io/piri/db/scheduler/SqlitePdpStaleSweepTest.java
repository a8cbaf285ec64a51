package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpStaleSweepTest extends PdpStaleSweepTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
