package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpBadInputTest extends PdpBadInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
