package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresSearchTest extends SearchTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
