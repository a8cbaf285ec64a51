package io.piri.db.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A store's migration folders are separate lines of versions (its own V1 on, the queue engine's
 * V100 on, the common V200 on): a migration added later to a line whose versions lie below
 * another line's applied ones still runs on an existing store (test folders under
 * src/test/resources/db/&lt;dialect&gt;/lines-*).
 */
public abstract class MigrationsTestBase {
  protected abstract String dialect();

  protected abstract String jdbcUrl();

  protected abstract Properties properties();

  protected abstract String schema();

  /** The tables of the migrated database, by name, that the test folders create. */
  protected abstract List<String> testTables() throws Exception;

  @Test
  void aMigrationAddedBelowAnotherLinesVersionStillRuns() throws Exception {
    assertEquals("200", Migrations.migrate(dialect(), List.of("lines-own", "lines-common"), jdbcUrl(), properties(), schema()));
    assertEquals(List.of("own_first", "shared_line"), testTables());
    assertEquals("200", Migrations.migrate(dialect(), List.of("lines-own", "lines-later", "lines-common"), jdbcUrl(), properties(),
        schema()));
    assertEquals(List.of("own_first", "own_later", "shared_line"), testTables());
    assertEquals("200", Migrations.migrate(dialect(), List.of("lines-own", "lines-later", "lines-common"), jdbcUrl(), properties(),
        schema()), "nothing left to apply: the version found");
  }
}
