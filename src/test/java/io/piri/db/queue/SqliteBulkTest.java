package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteBulkTest extends BulkTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
