package io.piri.db.console;

import io.piri.db.support.TestBackend;

class PostgresConsoleBrowserTest extends ConsoleBrowserTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
