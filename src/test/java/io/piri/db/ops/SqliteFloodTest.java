package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class SqliteFloodTest extends FloodTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
