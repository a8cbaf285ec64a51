package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteJobViewsTest extends JobViewsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
