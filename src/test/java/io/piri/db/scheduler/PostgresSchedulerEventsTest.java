package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class PostgresSchedulerEventsTest extends SchedulerEventsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
