package io.piri.db.queue;

import io.piri.db.config.BackendType;
import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonObject;

class PostgresBulkAfterSigkillTest extends BulkAfterSigkillTestBase {
  @Override
  protected BackendType backend() {
    return BackendType.POSTGRES;
  }

  @Override
  protected JsonObject database() {
    return new JsonObject().put("type", "postgres").put("postgres", new JsonObject().put("url", TestPostgres.newDatabase()));
  }
}
