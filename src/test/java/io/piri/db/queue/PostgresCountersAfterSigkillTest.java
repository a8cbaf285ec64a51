package io.piri.db.queue;

import io.piri.db.config.BackendType;

class PostgresCountersAfterSigkillTest extends CountersAfterSigkillTestBase {
  @Override
  protected BackendType backend() {
    return BackendType.POSTGRES;
  }
}
