package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class SqliteBulkCommandTest extends BulkCommandTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
