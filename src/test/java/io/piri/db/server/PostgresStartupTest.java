package io.piri.db.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piri.db.core.StoreId;
import io.piri.db.support.TestBackend;

class PostgresStartupTest extends StartupTestBase {
  @Override
  protected void assertStorageExists(StoreId store) throws Exception {
    assertEquals("1", firstValue(store,
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + store.id() + "'"),
        "schema " + store.id() + " missing");
  }

  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }
}
