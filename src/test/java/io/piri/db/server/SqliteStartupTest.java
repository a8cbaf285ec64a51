package io.piri.db.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;

class SqliteStartupTest extends StartupTestBase {
  @Override
  protected void assertStorageExists(StoreId store) throws Exception {
    Path f = file(store);
    assertTrue(Files.isRegularFile(f), "missing " + f);
    String mode = firstValue(store, "PRAGMA journal_mode");
    assertTrue("wal".equalsIgnoreCase(mode), "journal_mode " + mode);
  }

  private Path file(StoreId store) {
    return config.dataDir().resolve(store.sqliteFile());
  }

  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
