package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpSchemaTest extends PdpSchemaTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
