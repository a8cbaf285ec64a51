package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpStaleSweepTest extends PdpStaleSweepTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
