package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresBulkTest extends BulkTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
