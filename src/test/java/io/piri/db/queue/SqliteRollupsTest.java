package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteRollupsTest extends RollupsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
