package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class PostgresBulkCommandTest extends BulkCommandTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
