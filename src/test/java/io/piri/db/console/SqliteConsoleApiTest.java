package io.piri.db.console;

import io.piri.db.support.TestBackend;

class SqliteConsoleApiTest extends ConsoleApiTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
