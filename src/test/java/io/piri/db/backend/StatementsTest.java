package io.piri.db.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the SQL files are assembled per dialect (test areas under src/test/resources/sql). */
class StatementsTest {
  @Test
  void sharedStatementsAreRenderedPerDialectAndDialectFilesAddTheirOwn() {
    Statements sqlite = Statements.load("sqlite", "test-rendered");
    Statements postgres = Statements.load("postgres", "test-rendered");

    assertEquals("SELECT ?1 AS a, '?2 stays' AS b, \"q?3\" AS c, ? AS d, ?12 AS e", sqlite.get("pair"));
    assertEquals("SELECT $1 AS a, '?2 stays' AS b, \"q?3\" AS c, ? AS d, $12 AS e", postgres.get("pair"));
    assertEquals("SELECT json_extract(?1, '$.n')", sqlite.get("own"));
    assertEquals("SELECT $1::jsonb ->> 'n'", postgres.get("own"));
    assertEquals(List.of("pair", "own", "mine"), sqlite.names());
    assertEquals(List.of("pair", "own"), postgres.names());
  }

  @Test
  void aNameInTheSharedFileAndADialectFileIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Statements.load("sqlite", "test-twice"));
    assertTrue(e.getMessage().contains("'x' is defined in both"), e.getMessage());
  }

  @Test
  void aStatementMissingFromTheOtherDialectIsRefusedOnEitherSide() {
    IllegalStateException s = assertThrows(IllegalStateException.class, () -> Statements.load("sqlite", "test-missing"));
    IllegalStateException p = assertThrows(IllegalStateException.class, () -> Statements.load("postgres", "test-missing"));
    assertTrue(s.getMessage().contains("'only-here' of sql/sqlite/test-missing.sql is missing from sql/postgres"), s.getMessage());
    assertTrue(p.getMessage().contains("'other' of sql/postgres/test-missing.sql is missing from sql/sqlite"), p.getMessage());
  }

  @Test
  void theStoresStatementFilesLoadInBothDialects() {
    for (String area : List.of("meta", "queue", "task", "pdp", "rollup", "adopt", "adopt-queue", "adopt-scheduler", "bulk")) {
      assertTrue(Statements.load("sqlite", area).names().size() > 0, area);
      assertTrue(Statements.load("postgres", area).names().size() > 0, area);
    }
  }
}
