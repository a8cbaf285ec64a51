package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresPdpPiecesTest extends PdpPiecesTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
