package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresDedupeTest extends DedupeTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
