package io.piri.db.server;

import io.piri.db.datadir.BackendMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.support.ServerTestBase;
import io.piri.db.support.TestBackend;
import io.piri.db.support.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A node refuses to start on the other backend, and creates nothing when it refuses. */
class BackendGuardTest extends ServerTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }

  @Test
  void sqliteNodeRefusesPostgres() throws Exception {
    stopServer(startServer());
    List<Path> before = listing(config.dataDir());
    PiriConfig pg = TestBackend.postgres().freshConfig(config.dataDir());

    ExitException e = assertThrows(ExitException.class, () -> startServer(pg));

    assertEquals(ExitException.BACKEND_MISMATCH, e.exitCode());
    assertTrue(e.getMessage().contains("sqlite") && e.getMessage().contains("postgres"), e.getMessage());
    assertTrue(e.getMessage().contains("set repo.database.type back to sqlite"), e.getMessage());
    assertEquals(0, storeSchemas(pg.postgres().url()), "no schema may be created");
    assertEquals(before, listing(config.dataDir()), "no file may change");
  }

  @Test
  void sqliteFilesWithoutMarkerStillRefusePostgres() throws Exception {
    stopServer(startServer());
    Files.delete(config.dataDir().resolve(BackendMarker.FILE));
    PiriConfig pg = TestBackend.postgres().freshConfig(config.dataDir());

    ExitException e = assertThrows(ExitException.class, () -> startServer(pg));

    assertEquals(ExitException.BACKEND_MISMATCH, e.exitCode());
    assertEquals(0, storeSchemas(pg.postgres().url()));
  }

  @Test
  void postgresNodeRefusesSqlite() throws Exception {
    PiriConfig pg = TestBackend.postgres().freshConfig(config.dataDir());
    stopServer(startServer(pg));
    assertEquals(StoreId.values().length, storeSchemas(pg.postgres().url()));
    List<Path> before = listing(pg.dataDir());
    PiriConfig sqlite = TestBackend.sqlite().freshConfig(pg.dataDir());

    ExitException e = assertThrows(ExitException.class, () -> startServer(sqlite));

    assertEquals(ExitException.BACKEND_MISMATCH, e.exitCode());
    assertTrue(e.getMessage().contains("holds a postgres node but repo.database.type is sqlite"), e.getMessage());
    assertEquals(before, listing(pg.dataDir()), "no SQLite file may be created");
    for (StoreId s : StoreId.values()) assertFalse(Files.exists(pg.dataDir().resolve(s.sqliteFile())));
  }

  @Test
  void sameBackendStartsAgain() throws Exception {
    PiriConfig pg = TestBackend.postgres().freshConfig(config.dataDir());
    stopServer(startServer(pg));
    startServer(pg.withBridgePort(TestBackend.freePort()));
    assertEquals(BackendType.POSTGRES.id(), call(StoreId.SCHEDULER, "ping", null).getString("backend"));
  }

  private static int storeSchemas(String url) throws Exception {
    try (Connection c = TestPostgres.connect(url);
         ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM information_schema.schemata "
             + "WHERE schema_name IN ('scheduler', 'replicator', 'aggregator', 'egress_tracker')")) {
      r.next();
      return r.getInt(1);
    }
  }

  private static List<Path> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.getFileName().toString().endsWith(".lock")).sorted().toList();
    }
  }
}
