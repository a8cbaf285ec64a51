package io.piri.db.console;

import io.piri.db.support.TestBackend;

class SqliteDedupeBrowserTest extends DedupeBrowserTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
