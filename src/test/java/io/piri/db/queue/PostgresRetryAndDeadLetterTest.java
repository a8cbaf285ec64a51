package io.piri.db.queue;

import io.piri.db.support.TestBackend;

class PostgresRetryAndDeadLetterTest extends RetryAndDeadLetterTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
