package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresDedupeLookupTest extends DedupeLookupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
