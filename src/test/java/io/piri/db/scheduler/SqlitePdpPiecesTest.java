package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqlitePdpPiecesTest extends PdpPiecesTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
