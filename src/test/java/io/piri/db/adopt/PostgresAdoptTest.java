package io.piri.db.adopt;

import io.piri.db.support.TestBackend;

class PostgresAdoptTest extends AdoptTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
