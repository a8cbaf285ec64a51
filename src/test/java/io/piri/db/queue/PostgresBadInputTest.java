package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresBadInputTest extends BadInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
