package io.piri.db.adopt;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A process that keeps a SQLite file open and does nothing, as an idle Piri does between polls;
 * run in a child JVM by the refusal tests, killed when they end.
 */
public final class IdleSqliteHolder {
  private IdleSqliteHolder() {}

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[0]); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master")) {
      rs.next();
      System.out.println("open");
      System.out.flush();
      // Holds the file until it is killed; stdin is the test's pipe, so it also ends should the
      // test's JVM go away without killing it.
      System.in.read();
    }
  }
}
