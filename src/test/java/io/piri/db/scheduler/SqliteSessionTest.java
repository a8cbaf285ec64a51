package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteSessionTest extends SessionTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
