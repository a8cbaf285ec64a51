package io.piri.db.backend;

import io.piri.db.backend.sqlite.SqliteDatabase;
import io.piri.db.core.StoreId;
import io.piri.db.support.TestBackend;
import io.vertx.core.Future;
import java.nio.file.Files;

class SqliteReadTimeoutTest extends ReadTimeoutTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }

  @Override
  protected Future<Database> open() throws Exception {
    Files.createDirectories(config.dataDir().resolve(StoreId.REPLICATOR.sqliteFile()).getParent());
    return SqliteDatabase.open(vertx, StoreId.REPLICATOR, config.dataDir(), 2);
  }
}
