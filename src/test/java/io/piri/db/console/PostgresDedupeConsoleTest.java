package io.piri.db.console;

import io.piri.db.support.TestBackend;

class PostgresDedupeConsoleTest extends DedupeConsoleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
