package io.piri.db.ops;

import io.piri.db.support.TestBackend;

class PostgresReadBesideWriteTest extends ReadBesideWriteTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
