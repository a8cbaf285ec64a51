package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpSchemaTest extends PdpSchemaTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
