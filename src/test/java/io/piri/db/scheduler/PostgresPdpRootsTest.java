package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpRootsTest extends PdpRootsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
