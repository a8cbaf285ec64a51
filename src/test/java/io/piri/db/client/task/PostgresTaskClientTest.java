package io.piri.db.client.task;

import io.piri.db.support.TestBackend;

class PostgresTaskClientTest extends TaskClientTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
