package io.piri.db.client;

import io.piri.db.support.TestBackend;

class SqliteWorkerTest extends WorkerTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
