package io.piri.db.cli;

import io.vertx.core.json.JsonObject;

class SqliteStopProcessTest extends StopProcessTestBase {
  @Override
  protected JsonObject database() {
    return new JsonObject().put("type", "sqlite");
  }
}
