package io.piri.db.adopt;

import io.piri.db.backend.Statements;
import io.piri.db.core.StoreId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Where the stores live, for adopt: four SQLite files or four PostgreSQL schemas. Blocking JDBC,
 * on the command's own thread (adopt runs while no server does).
 */
abstract class StoreFiles {
  /** Work on a connection where Piri's tables are reached as {@code piri_adopt_source.<table>}. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final String dialect;
  /** Adopt's own statements, in the stores' dialect. */
  final Statements sql;

  StoreFiles(String dialect) {
    this.dialect = dialect;
    this.sql = Statements.load(dialect, "adopt");
  }

  final String dialect() {
    return dialect;
  }

  /** The file, or the schema and database, for messages. */
  abstract String where(StoreId store);

  /** The store's tables and their columns; empty when the store does not exist or is empty. */
  abstract Map<String, List<String>> tables(StoreId store) throws SQLException;

  /** Why these stores are still in use (a Piri that runs), one reason each; empty when free. */
  abstract List<String> inUse(List<StoreId> stores) throws SQLException;

  /** Runs {@code work} against the store's Piri tables and changes nothing. */
  abstract <T> T read(StoreId store, Work<T> work) throws SQLException;

  /** Keeps a copy of the store next to it and returns where, or null where the backend has none. */
  abstract String backup(StoreId store) throws SQLException;

  /**
   * Gives the store piri-db's schema (by piri-db's Flyway migrations) and runs {@code work} to
   * fill it from Piri's tables, then drops Piri's tables: all in one transaction, so that a
   * failure leaves the store as Piri left it.
   */
  abstract void convert(StoreId store, Work<Void> work) throws SQLException;
}
