package io.piri.db.queue;

import io.piri.db.config.BackendType;

class PostgresBulkAfterSigkillTest extends BulkAfterSigkillTestBase {
  @Override
  protected BackendType backend() {
    return BackendType.POSTGRES;
  }
}
