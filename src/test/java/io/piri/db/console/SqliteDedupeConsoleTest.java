package io.piri.db.console;

import io.piri.db.support.TestBackend;

class SqliteDedupeConsoleTest extends DedupeConsoleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
