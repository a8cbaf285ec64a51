package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class PostgresFloodTest extends FloodTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
