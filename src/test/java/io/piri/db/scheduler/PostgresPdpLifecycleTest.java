package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpLifecycleTest extends PdpLifecycleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
