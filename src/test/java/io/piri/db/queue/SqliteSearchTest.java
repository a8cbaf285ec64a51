package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteSearchTest extends SearchTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
