package io.piri.db.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

class SqliteStartupTest extends StartupTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }

  @Override
  protected String storedBackend(StoreId store) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(store));
         ResultSet r = c.createStatement().executeQuery("SELECT value FROM piri_meta WHERE key = 'backend'")) {
      return r.next() ? r.getString(1) : null;
    }
  }

  @Override
  protected void assertStorageExists(StoreId store) throws Exception {
    Path f = file(store);
    assertTrue(Files.isRegularFile(f), "missing " + f);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
         ResultSet r = c.createStatement().executeQuery("PRAGMA journal_mode")) {
      r.next();
      assertTrue("wal".equalsIgnoreCase(r.getString(1)), "journal_mode " + r.getString(1));
    }
  }

  private Path file(StoreId store) {
    return config.dataDir().resolve(store.sqliteFile());
  }
}
