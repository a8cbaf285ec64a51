package io.piri.db.adopt;

import io.piri.db.backend.Statements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Lists of names read from a store's catalog, the same way on both dialects. */
final class Catalog {
  private Catalog() {}

  /**
   * Piri's tables and their columns, as the dialect's {@code source-tables} and
   * {@code source-columns} list them; {@code scope} are the parameters both statements take first.
   */
  static Map<String, List<String>> sourceTables(Connection c, Statements sql, String... scope) throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String t : strings(c, sql.get("source-tables"), scope)) {
      String[] params = Arrays.copyOf(scope, scope.length + 1);
      params[scope.length] = t;
      out.put(t, strings(c, sql.get("source-columns"), params));
    }
    return out;
  }

  /** The first column of every row {@code query} answers with {@code params}. */
  static List<String> strings(Connection c, String query, String... params) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(rs.getString(1));
      }
    }
    return out;
  }
}
