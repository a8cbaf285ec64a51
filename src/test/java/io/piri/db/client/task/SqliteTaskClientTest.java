package io.piri.db.client.task;

import io.piri.db.support.TestBackend;

class SqliteTaskClientTest extends TaskClientTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
