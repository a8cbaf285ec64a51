package io.piri.db.cli;

import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonObject;

class PostgresStopProcessTest extends StopProcessTestBase {
  @Override
  protected JsonObject database() {
    return new JsonObject().put("type", "postgres")
        .put("postgres", new JsonObject().put("url", TestPostgres.newDatabase()));
  }
}
