package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class SqliteOpsCommandsTest extends OpsCommandsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
