package io.piri.db.cli;

import io.piri.db.support.TestBackend;

class SqlitePauseCommandsTest extends PauseCommandsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
