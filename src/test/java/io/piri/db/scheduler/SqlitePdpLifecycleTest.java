package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpLifecycleTest extends PdpLifecycleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
