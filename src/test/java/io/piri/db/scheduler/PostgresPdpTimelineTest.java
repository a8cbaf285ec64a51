package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpTimelineTest extends PdpTimelineTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
