package io.piri.db.adopt;

import io.piri.db.support.TestBackend;

class SqliteAdoptTest extends AdoptTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
