package io.piri.db.bus;

import io.piri.db.support.TestBackend;

class PostgresUnansweredMessageTest extends UnansweredMessageTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
