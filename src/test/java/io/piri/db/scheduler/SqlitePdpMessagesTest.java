package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpMessagesTest extends PdpMessagesTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
