package io.piri.db.server;

import io.piri.db.datadir.BackendMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Starting, restarting and locking a node, on each backend. */
public abstract class StartupTestBase extends ServerTestBase {

  /** What the backend holds once a node started: the backend recorded by each store. */
  private String storedBackend(StoreId store) throws SQLException {
    return firstValue(store, "SELECT value FROM piri_meta WHERE key = 'backend'");
  }

  /** The first column of the first row {@code query} answers on the store's connection; null for none. */
  protected String firstValue(StoreId store, String query) throws SQLException {
    try (Connection c = backend().connect(config, store); ResultSet r = c.createStatement().executeQuery(query)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /** Asserts the store's storage (file or schema) exists. */
  protected abstract void assertStorageExists(StoreId store) throws Exception;

  @Test
  void everyStoreAnswersPing() throws Exception {
    PiriServer server = startServer();
    for (StoreId store : StoreId.values()) {
      JsonObject pong = call(store, "ping", null);
      assertEquals(store.id(), pong.getString("store"));
      assertEquals(backend().type().id(), pong.getString("backend"));
      assertTrue(Integer.parseInt(pong.getString("schema_version")) >= 1, pong.encode());
      assertStorageExists(store);
      assertEquals(backend().type().id(), storedBackend(store));
    }
    assertEquals(backend().type().id() + "\n", Files.readString(config.dataDir().resolve(BackendMarker.FILE)));
    assertTrue(server.readyLine().startsWith("piri-db ready backend=" + backend().type().id() + " data_dir="));
  }

  @Test
  void restartsOnItsOwnData() throws Exception {
    PiriServer first = startServer();
    String version = call(StoreId.REPLICATOR, "ping", null).getString("schema_version");
    stopServer(first);
    startServer(backend().sameNode(config));
    assertEquals(version, call(StoreId.REPLICATOR, "ping", null).getString("schema_version"));
  }

  @Test
  void secondOwnerOfDataDirIsRefused() throws Exception {
    startServer();
    ExitException e = assertThrows(ExitException.class, () -> startServer(backend().sameNode(config)));
    assertEquals(ExitException.BAD_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
    assertEquals("scheduler", call(StoreId.SCHEDULER, "ping", null).getString("store"), "the first node still serves");
  }

  @Test
  void stoppedNodeReleasesDataDir() throws Exception {
    PiriServer first = startServer();
    stopServer(first);
    PiriServer second = startServer(backend().sameNode(config));
    assertEquals("aggregator", call(StoreId.AGGREGATOR, "ping", null).getString("store"));
    stopServer(second);
  }
}
