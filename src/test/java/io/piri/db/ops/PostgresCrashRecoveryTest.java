package io.piri.db.ops;

import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonObject;

class PostgresCrashRecoveryTest extends CrashRecoveryTestBase {
  @Override
  protected JsonObject database() {
    return new JsonObject().put("type", "postgres")
        .put("postgres", new JsonObject().put("url", TestPostgres.newDatabase()));
  }
}
