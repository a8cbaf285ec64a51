package io.piri.db.backend;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;

class SqliteMigrationsTest extends MigrationsTestBase {
  @TempDir Path dir;

  @Override
  protected String dialect() {
    return "sqlite";
  }

  @Override
  protected String jdbcUrl() {
    return "jdbc:sqlite:" + dir.resolve("lines.db");
  }

  @Override
  protected Properties properties() {
    return new Properties();
  }

  @Override
  protected String schema() {
    return null;
  }

  @Override
  protected List<String> testTables() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl());
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('own_first', 'own_later', 'shared_line') ORDER BY name")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
