package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpTimelineTest extends PdpTimelineTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
