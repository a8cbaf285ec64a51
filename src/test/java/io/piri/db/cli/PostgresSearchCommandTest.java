package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class PostgresSearchCommandTest extends SearchCommandTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
