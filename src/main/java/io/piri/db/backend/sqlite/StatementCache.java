package io.piri.db.backend.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer's prepared statements, kept while it keeps its connection: a store runs a few dozen
 * statements over and over, and SQLite compiles each once. The least recently used go past
 * {@value #MAX}.
 */
final class StatementCache {
  private static final int MAX = 256;

  private final Connection conn;
  private final Map<String, PreparedStatement> bySql = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= MAX) return false;
      closeQuietly(eldest.getValue());
      return true;
    }
  };

  StatementCache(Connection conn) {
    this.conn = conn;
  }

  Connection connection() {
    return conn;
  }

  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = bySql.get(sql);
    if (ps == null) {
      ps = conn.prepareStatement(sql);
      bySql.put(sql, ps);
    }
    return ps;
  }

  void forget(String sql) {
    PreparedStatement ps = bySql.remove(sql);
    if (ps != null) closeQuietly(ps);
  }

  void close() {
    bySql.values().forEach(StatementCache::closeQuietly);
    bySql.clear();
  }

  private static void closeQuietly(PreparedStatement ps) {
    try {
      ps.close();
    } catch (SQLException ignored) {
      // the connection goes back to the pool right after, which closes what is left
    }
  }
}
