package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class SqliteRetryAndDeadLetterTest extends RetryAndDeadLetterTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
