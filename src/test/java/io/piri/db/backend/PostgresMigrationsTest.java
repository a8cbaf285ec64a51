package io.piri.db.backend;

import io.piri.db.config.PostgresUrl;
import io.piri.db.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

class PostgresMigrationsTest extends MigrationsTestBase {
  private final String url = TestPostgres.newDatabase();

  @Override
  protected String dialect() {
    return "postgres";
  }

  @Override
  protected String jdbcUrl() {
    return PostgresUrl.jdbcUrl(url);
  }

  @Override
  protected Properties properties() {
    return PostgresUrl.credentials(url);
  }

  @Override
  protected String schema() {
    return "lines";
  }

  @Override
  protected List<String> testTables() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = TestPostgres.connect(url);
         ResultSet rs = c.createStatement().executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'lines'"
             + " AND table_name IN ('own_first', 'own_later', 'shared_line') ORDER BY table_name")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
