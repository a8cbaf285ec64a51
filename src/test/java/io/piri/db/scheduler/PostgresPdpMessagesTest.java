package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpMessagesTest extends PdpMessagesTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
