package io.piri.db.console;

import io.piri.db.support.TestBackend;

class SqliteEventHubTest extends EventHubTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
