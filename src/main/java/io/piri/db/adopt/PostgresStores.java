package io.piri.db.adopt;

import io.piri.db.core.StoreId;
import io.piri.db.backend.Migrations;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.PostgresUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The four schemas of {@code repo.database.postgres.url}. Piri's tables are reached as
 * {@code piri_adopt_source.<table>} by renaming the store's schema inside a transaction: rolled
 * back for reads, committed (after the copy, with the schema dropped) for the conversion.
 */
final class PostgresStores extends StoreFiles {
  static final String APPLICATION = "piri-db adopt";
  private static final long SETTLE_MS = 1000;

  private final PiriConfig.Postgres pg;

  PostgresStores(PiriConfig.Postgres pg) {
    super("postgres");
    this.pg = pg;
  }

  @Override
  public String where(StoreId store) {
    return "schema " + store.id() + " at " + pg.maskedUrl();
  }

  @Override
  public Map<String, List<String>> tables(StoreId store) throws SQLException {
    try (Connection c = connect()) {
      return Catalog.sourceTables(c, sql, store.id());
    }
  }

  /**
   * Any session of another application on the database: Piri's pools keep theirs open. Sessions
   * seen once are looked for again a second later, and only those still there count: a client
   * that has just disconnected can stay listed for a moment.
   */
  @Override
  public List<String> inUse(List<StoreId> stores) throws SQLException {
    Map<Long, String> first = sessions();
    if (first.isEmpty()) return List.of();
    try {
      Thread.sleep(SETTLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Map<Long, String> again = sessions();
    again.keySet().retainAll(first.keySet());
    return new ArrayList<>(again.values());
  }

  private Map<Long, String> sessions() throws SQLException {
    Map<Long, String> out = new LinkedHashMap<>();
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql.get("other-sessions"))) {
      ps.setString(1, APPLICATION);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String app = rs.getString(2).isEmpty() ? "no application name" : "application '" + rs.getString(2) + "'";
          out.put(rs.getLong(1), "session pid " + rs.getLong(1) + " (" + app + ", from " + rs.getString(3) + ", since "
              + rs.getTimestamp(4).toInstant() + ") is connected to the database");
        }
      }
    }
    return out;
  }

  @Override
  public <T> T read(StoreId store, Work<T> work) throws SQLException {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try {
        exec(c, "source-rename", store);
        return work.run(c);
      } finally {
        c.rollback();
      }
    }
  }

  @Override
  public String backup(StoreId store) {
    return null;
  }

  @Override
  public void convert(StoreId store, Work<Void> work) throws SQLException {
    try (Connection c = connect()) {
      exec(c, "target-drop", store);
      exec(c, "target-create", store);
    }
    boolean committed = false;
    try {
      Migrations.migrate("postgres", store, PostgresUrl.jdbcUrl(pg.url()), properties(), "piri_adopt_target");
      try (Connection c = connect()) {
        c.setAutoCommit(false);
        try {
          exec(c, "source-rename", store);
          exec(c, "target-rename", store);
          exec(c, "search-path", store);
          try (PreparedStatement ps = c.prepareStatement(sql.get("record-backend"))) {
            ps.setString(1, "postgres");
            ps.executeUpdate();
          }
          work.run(c);
          exec(c, "source-drop", store);
          c.commit();
          committed = true;
        } finally {
          if (!committed) c.rollback();
        }
      }
    } finally {
      if (!committed) {
        try (Connection c = connect()) {
          exec(c, "target-drop", store);
        }
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(PostgresUrl.jdbcUrl(pg.url()), properties());
  }

  private Properties properties() {
    Properties p = PostgresUrl.credentials(pg.url());
    long connectSeconds = Math.max(1, pg.connectTimeout().toSeconds());
    p.setProperty("connectTimeout", String.valueOf(connectSeconds));
    p.setProperty("ApplicationName", APPLICATION);
    p.setProperty("reWriteBatchedInserts", "true");
    return p;
  }

  private void exec(Connection c, String name, StoreId store) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(Sql.withIdentifier(sql.get(name), "store", store.id()));
    }
  }
}
