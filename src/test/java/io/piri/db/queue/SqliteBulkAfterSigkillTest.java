package io.piri.db.queue;

import io.piri.db.config.BackendType;

class SqliteBulkAfterSigkillTest extends BulkAfterSigkillTestBase {
  @Override
  protected BackendType backend() {
    return BackendType.SQLITE;
  }
}
