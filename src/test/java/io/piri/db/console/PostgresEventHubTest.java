package io.piri.db.console;

import io.piri.db.support.TestBackend;

class PostgresEventHubTest extends EventHubTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
