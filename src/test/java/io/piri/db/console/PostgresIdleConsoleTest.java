package io.piri.db.console;

import io.piri.db.support.TestBackend;

class PostgresIdleConsoleTest extends IdleConsoleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
