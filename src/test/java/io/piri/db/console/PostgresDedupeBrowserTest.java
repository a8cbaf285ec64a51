package io.piri.db.console;

import io.piri.db.support.TestBackend;

class PostgresDedupeBrowserTest extends DedupeBrowserTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
