package io.piri.db.console;

import io.piri.db.support.TestBackend;

class SqliteConsoleBulkTest extends ConsoleBulkTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
