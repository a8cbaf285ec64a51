package io.piri.db.bus;

import io.piri.db.support.TestBackend;

class SqliteUnansweredMessageTest extends UnansweredMessageTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
