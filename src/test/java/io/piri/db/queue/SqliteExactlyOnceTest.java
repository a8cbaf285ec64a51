package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteExactlyOnceTest extends ExactlyOnceTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
