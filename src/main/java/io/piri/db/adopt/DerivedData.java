package io.piri.db.adopt;

import io.piri.db.backend.Statements;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The one step that makes data computed from other rows right after the rows were copied: every
 * statement named {@code derive-*} in a store's adopt SQL files, in file order (today the queue
 * stores' counters per queue and state; the Scheduler store's piece reference counts and id
 * counters). Anything piri-db later derives from stored rows is added there as another
 * {@code derive-*} statement, and adoption then keeps it consistent too.
 */
final class DerivedData {
  static final String PREFIX = "derive-";

  private DerivedData() {}

  static void rebuild(Connection c, String dialect, String area) throws SQLException {
    Statements sql = Statements.load(dialect, area);
    for (String name : names(dialect, area)) {
      try (Statement s = c.createStatement()) {
        s.execute(sql.get(name));
      }
    }
  }

  /** The {@code derive-*} statement names of the area (the shared file's first), in file order. */
  static List<String> names(String dialect, String area) {
    return Statements.load(dialect, area).names().stream().filter(n -> n.startsWith(PREFIX)).toList();
  }
}
