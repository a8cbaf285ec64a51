package io.piri.db.backend;

import io.piri.db.backend.postgres.PostgresDatabase;
import io.piri.db.core.StoreId;
import io.piri.db.support.TestBackend;
import io.vertx.core.Future;

class PostgresReadTimeoutTest extends ReadTimeoutTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }

  @Override
  protected Future<Database> open() {
    return PostgresDatabase.open(vertx, StoreId.REPLICATOR, config.postgres());
  }
}
