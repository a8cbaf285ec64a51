package io.piri.db.queue;

import io.piri.db.config.BackendType;

class SqliteCountersAfterSigkillTest extends CountersAfterSigkillTestBase {
  @Override
  protected BackendType backend() {
    return BackendType.SQLITE;
  }
}
