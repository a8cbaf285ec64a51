package io.piri.db.adopt;

import io.piri.db.core.StoreId;
import io.piri.db.backend.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.sqlite.SQLiteConfig;

/**
 * The four SQLite files under {@code repo.data_dir}. Piri's file is read through a connection
 * that ATTACHes it (reads and dry runs) or its backup (the conversion), as
 * {@code piri_adopt_source}. The conversion replays, in the store's own file and inside one
 * transaction, the schema Flyway built in an empty staging file next to it.
 */
final class SqliteStores extends StoreFiles {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  /** Long enough for a Piri poll's transaction to end; a held write lock still shows. */
  private static final int BUSY_MS = 2000;

  private final Path dataDir;
  private final Map<StoreId, Path> backups = new EnumMap<>(StoreId.class);

  SqliteStores(Path dataDir) {
    super("sqlite");
    this.dataDir = dataDir;
  }

  @Override
  public String where(StoreId store) {
    return file(store).toString();
  }

  Path file(StoreId store) {
    return dataDir.resolve(store.sqliteFile());
  }

  @Override
  public Map<String, List<String>> tables(StoreId store) throws SQLException {
    Path f = file(store);
    try {
      if (!Files.isRegularFile(f) || Files.size(f) == 0) return Map.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return read(store, c -> Catalog.sourceTables(c, sql));
  }

  @Override
  public List<String> inUse(List<StoreId> stores) throws SQLException {
    List<String> reasons = new ArrayList<>();
    for (StoreId s : stores) {
      Path f = file(s);
      List<String> holders = OpenFiles.holders(List.of(f, sibling(f, "-wal"), sibling(f, "-shm")));
      if (!holders.isEmpty()) {
        reasons.add(f + " is open in " + String.join(", ", holders));
        continue;
      }
      String locked = read(s, c -> {
        try (Statement st = c.createStatement()) {
          st.execute(sql.get("write-probe"));
          st.execute(sql.get("write-probe-end"));
          return null;
        } catch (SQLException e) {
          if ((e.getErrorCode() & 0xff) == 5 || (e.getErrorCode() & 0xff) == 6) {
            return f + " is being written by another connection (its write lock stayed taken for " + BUSY_MS + " ms)";
          }
          throw e;
        }
      });
      if (locked != null) reasons.add(locked);
    }
    return reasons;
  }

  @Override
  public <T> T read(StoreId store, Work<T> work) throws SQLException {
    return withSource(store, file(store), work);
  }

  @Override
  public String backup(StoreId store) throws SQLException {
    Path f = file(store);
    Path copy = sibling(f, ".piri-backup-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
    read(store, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql.get("backup"))) {
        ps.setString(1, copy.toString());
        ps.execute();
      }
      return null;
    });
    backups.put(store, copy);
    return copy.toString();
  }

  @Override
  public void convert(StoreId store, Work<Void> work) throws SQLException {
    Path f = file(store);
    Path source = backups.get(store);
    if (source == null) throw new IllegalStateException("store " + store.id() + " has no backup to read from");
    Path staging;
    try {
      staging = Files.createTempFile(f.getParent(), ".piri-db-adopt-" + store.id() + "-", ".db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Migrations.migrate("sqlite", store, "jdbc:sqlite:" + staging.toAbsolutePath(), new Properties(), null);
      try (Connection c = connect("jdbc:sqlite:" + f.toAbsolutePath(), false)) {
        exec(c, "attach-source", source.toString());
        exec(c, "attach-schema", staging.toString());
        try {
          replace(c, work);
        } finally {
          exec(c, "detach-schema", null);
          exec(c, "detach-source", null);
        }
      }
    } finally {
      deleteQuietly(staging);
      deleteQuietly(sibling(staging, "-journal"));
    }
  }

  /** Piri's tables out, piri-db's schema and rows in: one transaction. */
  private void replace(Connection c, Work<Void> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      for (String table : Catalog.strings(c, sql.get("main-tables"))) {
        try (Statement st = c.createStatement()) {
          st.execute(Sql.withIdentifier(sql.get("drop-table"), "table", table));
        }
      }
      for (String ddl : Catalog.strings(c, sql.get("schema-objects"))) {
        try (Statement st = c.createStatement()) {
          st.execute(ddl);
        }
      }
      exec(c, "schema-history-copy", null);
      exec(c, "record-backend", "sqlite");
      work.run(c);
      List<String> broken = Catalog.strings(c, sql.get("foreign-key-check"));
      if (!broken.isEmpty()) {
        throw new SQLException("a row of table " + broken.get(0) + " points to a row that is not there"
            + " (" + broken.size() + " such rows); Piri's data breaks its own foreign keys");
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private <T> T withSource(StoreId store, Path source, Work<T> work) throws SQLException {
    try (Connection c = connect("jdbc:sqlite::memory:", true)) {
      exec(c, "attach-source", source.toString());
      try {
        return work.run(c);
      } finally {
        exec(c, "detach-source", null);
      }
    }
  }

  private static Connection connect(String url, boolean foreignKeys) throws SQLException {
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setBusyTimeout(BUSY_MS);
    cfg.enforceForeignKeys(foreignKeys);
    cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return cfg.createConnection(url);
  }

  private void exec(Connection c, String name, String param) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.get(name))) {
      if (param != null) ps.setString(1, param);
      ps.execute();
    }
  }

  /** The first column of every row. */
  private static Path sibling(Path f, String suffix) {
    return f.resolveSibling(f.getFileName() + suffix);
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover staging file is harmless: adopt never reads it again
    }
  }
}
