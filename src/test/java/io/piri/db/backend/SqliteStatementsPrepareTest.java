package io.piri.db.backend;

import io.piri.db.core.StoreId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteStatementsPrepareTest extends StatementsPrepareTestBase {
  @TempDir Path tmp;
  private final Map<StoreId, Connection> connections = new HashMap<>();

  @Override
  protected String dialect() {
    return "sqlite";
  }

  /** sqlite3_prepare compiles the statement against the file's schema: names are checked there. */
  @Override
  protected void prepare(StoreId store, String sql) throws Exception {
    try (PreparedStatement ps = connection(store).prepareStatement(sql)) {
      ps.getParameterMetaData();
    }
  }

  private Connection connection(StoreId store) throws Exception {
    Connection c = connections.get(store);
    if (c == null) {
      String url = "jdbc:sqlite:" + tmp.resolve(store.id() + ".db");
      Migrations.migrate("sqlite", store, url, new Properties(), null);
      c = DriverManager.getConnection(url);
      connections.put(store, c);
    }
    return c;
  }

  @AfterEach
  void close() throws Exception {
    for (Connection c : connections.values()) c.close();
  }
}
