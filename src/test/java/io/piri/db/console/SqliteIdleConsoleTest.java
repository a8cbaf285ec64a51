package io.piri.db.console;

import io.piri.db.support.TestBackend;

class SqliteIdleConsoleTest extends IdleConsoleTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
