package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqlitePauseTest extends PauseTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
