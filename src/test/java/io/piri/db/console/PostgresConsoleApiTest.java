package io.piri.db.console;

import io.piri.db.support.TestBackend;

class PostgresConsoleApiTest extends ConsoleApiTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
