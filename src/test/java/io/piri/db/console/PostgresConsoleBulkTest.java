package io.piri.db.console;

import io.piri.db.support.TestBackend;

class PostgresConsoleBulkTest extends ConsoleBulkTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
