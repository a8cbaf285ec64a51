package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class PostgresPauseCommandsTest extends PauseCommandsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
