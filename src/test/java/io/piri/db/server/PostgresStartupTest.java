package io.piri.db.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.TestBackend;
import io.piri.db.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;

class PostgresStartupTest extends StartupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }

  @Override
  protected String storedBackend(StoreId store) throws Exception {
    try (Connection c = TestPostgres.connect(config.postgres().url());
         ResultSet r = c.createStatement().executeQuery(
             "SELECT value FROM " + store.id() + ".piri_meta WHERE key = 'backend'")) {
      return r.next() ? r.getString(1) : null;
    }
  }

  @Override
  protected void assertStorageExists(StoreId store) throws Exception {
    try (Connection c = TestPostgres.connect(config.postgres().url());
         ResultSet r = c.createStatement().executeQuery(
             "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + store.id() + "'")) {
      r.next();
      assertTrue(r.getInt(1) == 1, "schema " + store.id() + " missing");
    }
  }
}
