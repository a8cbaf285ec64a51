package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.config.BackendType;
import io.piri.db.support.Eventually;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * {@code msg-fail-stale} and a {@code msg-confirm} of the same message, the confirmation first:
 * the message stays confirmed and the sweep fails only what is still pending. On PostgreSQL the
 * two run at once: a lock the test holds on the message's row makes the confirmation wait for it
 * and the sweep (which has read the message as pending by then) wait behind the confirmation. On
 * SQLite the single writer runs them one after the other.
 */
public abstract class PdpStaleSweepTestBase extends PdpTestBase {
  @Test
  void confirmationTheSweepWaitedForIsKept() throws Exception {
    startEngine();
    pdp("msg-insert-wait", new JsonObject().put("signed_tx_hash", hash(1)));
    pdp("msg-insert-wait", new JsonObject().put("signed_tx_hash", hash(2)));
    // the sweep takes waits created more than older_than_ms (1 ms) ago
    clock.advance(5);
    Future<JsonObject> confirm;
    Future<JsonObject> sweep;
    try (Connection lock = lockRow(hash(1))) {
      confirm = request(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(1)).put("block_number", 100)
          .put("success", true).put("receipt", new JsonObject().put("status", 1)));
      awaitWaiting(1);
      sweep = request(S, "msg-fail-stale", new JsonObject().put("older_than_ms", 1).put("limit", 100));
      awaitWaiting(2);
    }
    await(confirm);
    assertEquals(new JsonArray().add(hash(2)), await(sweep).getJsonArray("failed"));
    JsonObject kept = pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(1)));
    assertEquals("confirmed", kept.getString("tx_status"));
    assertTrue(kept.getBoolean("tx_success"));
    assertEquals("failed", pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(2))).getString("tx_status"));
  }

  /** PostgreSQL: a transaction holding the wait's row lock until closed (rolled back). SQLite: none. */
  private Connection lockRow(String hash) throws Exception {
    if (config.backend() != BackendType.POSTGRES) return null;
    Connection c = TestPostgres.connect(config.postgres().url());
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT 1 FROM scheduler.message_waits_eth WHERE signed_tx_hash = '" + hash + "' FOR UPDATE").close();
    }
    return c;
  }

  /** PostgreSQL: until {@code n} of the store's statements wait for a lock. */
  private void awaitWaiting(int n) throws Exception {
    if (config.backend() != BackendType.POSTGRES) return;
    // the statements run on the store's connections; nothing announces that they wait
    try (Connection c = TestPostgres.connect(config.postgres().url()); Statement s = c.createStatement()) {
      Eventually.until(n + " statements wait for the locked row", () -> {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE message_waits_eth%'")) {
          rs.next();
          return rs.getInt(1) >= n;
        }
      });
    }
  }
}
