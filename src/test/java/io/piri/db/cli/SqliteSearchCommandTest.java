package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class SqliteSearchCommandTest extends SearchCommandTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
