package io.piri.db.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Only the backends know their database drivers: no other package of the main code uses the SQL
 * clients, JDBC or SQLite's and Agroal's types (docs/architecture.md). adopt, the offline JDBC
 * tool, is the one exception. And the backends know nothing of the protocol: the store layer
 * turns their failures into its replies.
 */
class DriverConfinementTest {
  private static final List<String> DRIVERS = List.of(
      "io.vertx.sqlclient", "io.vertx.pgclient", "io.vertx.jdbcclient", "java.sql", "javax.sql", "org.sqlite", "io.agroal");
  private static final Set<String> MAY_USE = Set.of(
      "io.piri.db.backend.sqlite", "io.piri.db.backend.postgres", "io.piri.db.adopt");

  @Test
  void onlyTheBackendsUseDatabaseDrivers() {
    Set<String> found = new TreeSet<>();
    Jdeps.packages().forEach((from, to) -> {
      if (MAY_USE.contains(from)) return;
      for (String p : to) {
        if (DRIVERS.stream().anyMatch(d -> p.equals(d) || p.startsWith(d + "."))) found.add(from + " -> " + p);
      }
    });
    assertEquals(Set.of(), found, "packages that use a database driver");
  }

  @Test
  void theBackendsKnowNothingOfTheProtocol() {
    Set<String> found = new TreeSet<>();
    Jdeps.packages().forEach((from, to) -> {
      if (from.startsWith("io.piri.db.backend") && to.contains("io.piri.db.bus")) found.add(from);
    });
    assertEquals(Set.of(), found, "backend packages that use the bus package");
  }
}
