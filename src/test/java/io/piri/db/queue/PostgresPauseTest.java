package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresPauseTest extends PauseTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
