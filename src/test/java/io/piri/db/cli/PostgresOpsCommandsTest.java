package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class PostgresOpsCommandsTest extends OpsCommandsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
