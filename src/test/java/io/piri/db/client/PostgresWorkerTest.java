package io.piri.db.client;

import io.piri.db.support.TestBackend;

class PostgresWorkerTest extends WorkerTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
