package io.piri.db.ops;

import io.vertx.core.json.JsonObject;

class SqliteCrashRecoveryTest extends CrashRecoveryTestBase {
  @Override
  protected JsonObject database() {
    return new JsonObject().put("type", "sqlite");
  }
}
