package io.piri.db.scheduler;

import io.piri.db.support.TestBackend;

class SqliteSchedulerEventsTest extends SchedulerEventsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
