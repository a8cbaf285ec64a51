package io.piri.db.console;

import io.piri.db.support.TestBackend;

class SqliteConsoleBrowserTest extends ConsoleBrowserTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
