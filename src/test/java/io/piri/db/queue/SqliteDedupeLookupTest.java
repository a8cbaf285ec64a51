package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteDedupeLookupTest extends DedupeLookupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
