package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteBadInputTest extends BadInputTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
