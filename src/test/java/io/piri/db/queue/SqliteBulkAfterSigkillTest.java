package io.piri.db.queue;

import io.piri.db.config.BackendType;
import io.vertx.core.json.JsonObject;

class SqliteBulkAfterSigkillTest extends BulkAfterSigkillTestBase {
  @Override
  protected BackendType backend() {
    return BackendType.SQLITE;
  }

  @Override
  protected JsonObject database() {
    return new JsonObject().put("type", "sqlite");
  }
}
