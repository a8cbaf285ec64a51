package io.piri.db.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every SQL area loads in this dialect (so none lacks a statement the other dialect has), and every
 * statement the stores run is prepared by a real database of this dialect, migrated as a store is:
 * a statement with a typo, a column that does not exist or a placeholder the dialect does not take
 * fails here rather than in the request that first runs it. The adopt areas read Piri's own
 * tables, which only an adoption attaches; the adopt suites run those.
 */
public abstract class StatementsPrepareTestBase {
  /** The areas the stores run, and a store whose schema has their tables. */
  static final Map<String, StoreId> STORE_AREAS = Map.ofEntries(
      Map.entry("meta", StoreId.REPLICATOR),
      Map.entry("queue", StoreId.REPLICATOR),
      Map.entry("task", StoreId.SCHEDULER),
      Map.entry("pdp", StoreId.SCHEDULER),
      Map.entry("audit", StoreId.EGRESS_TRACKER),
      Map.entry("jobviews", StoreId.AGGREGATOR),
      Map.entry("rollup", StoreId.REPLICATOR),
      Map.entry("pause", StoreId.REPLICATOR),
      Map.entry("offline", StoreId.REPLICATOR),
      Map.entry("dedupe", StoreId.REPLICATOR),
      Map.entry("search", StoreId.REPLICATOR),
      Map.entry("bulk", StoreId.AGGREGATOR));

  protected abstract String dialect();

  /** Prepares {@code sql} on a migrated database of {@code store}; throws what the database refuses. */
  protected abstract void prepare(StoreId store, String sql) throws Exception;

  @Test
  void everyAreaLoadsAndEveryStoreStatementPrepares() throws Exception {
    TreeSet<String> areas = areas();
    assertTrue(areas.containsAll(STORE_AREAS.keySet()), "areas found: " + areas);
    List<String> refused = new ArrayList<>();
    int prepared = 0;
    for (String area : areas) {
      Statements sql = Statements.load(dialect(), area);
      StoreId store = STORE_AREAS.get(area);
      if (store == null) continue;
      for (String name : sql.names()) {
        try {
          prepare(store, sql.get(name));
          prepared++;
        } catch (Exception e) {
          refused.add(area + "/" + name + ": " + e.getMessage());
        }
      }
    }
    assertEquals(List.of(), refused, "statements the database refused");
    assertTrue(prepared > 100, "prepared " + prepared);
  }

  /** Every area with a file under src/main/resources/sql, shared or of either dialect. */
  private static TreeSet<String> areas() throws IOException {
    TreeSet<String> out = new TreeSet<>();
    Path root = Path.of("src/main/resources/sql");
    try (Stream<Path> files = Files.walk(root)) {
      files.filter(p -> p.toString().endsWith(".sql"))
          .forEach(p -> out.add(p.getFileName().toString().replaceFirst("\\.sql$", "")));
    }
    return out;
  }
}
