package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteCountersTest extends CountersTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
