package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteDedupeTest extends DedupeTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
