package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteWaitTest extends WaitTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
