package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.piri.db.core.StoreId;
import io.piri.db.support.ChildJvm;
import io.piri.db.support.NodeConfigFile;
import io.piri.db.support.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a real process while bridge clients wait in a queue {@code claim} and a
 * {@code task-claim}: each gets its empty reply before the bridge closes its connection, and the
 * process exits 0.
 */
public abstract class StopProcessTestBase {
  @TempDir Path tmp;

  /** The repo.database section of the node's configuration. */
  protected abstract JsonObject database();

  private static JsonObject send(StoreId store, String action, JsonObject body, String replyAddress) {
    return new JsonObject().put("type", "send").put("address", store.address()).put("replyAddress", replyAddress)
        .put("headers", new JsonObject().put("action", action)).put("body", body);
  }

  /** The next read finds the connection closed (not a read timeout). */
  private static void assertClosed(BridgeClient c) {
    IOException e = assertThrows(IOException.class, c::read);
    assertFalse(e instanceof SocketTimeoutException, "the bridge closes the connection after the reply: " + e);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void sigtermAnswersWaitingClaimsBeforeTheBridgeCloses() throws Exception {
    int port = TestBackend.freePort();
    Path cfg = NodeConfigFile.write(tmp, NodeConfigFile.of(tmp, database(), port));
    try (ChildJvm node = ChildJvm.serve(tmp, Map.of(), cfg)) {
      // Both claims ask to wait 20 s; the read timeout is shorter, so only the stop can answer them in time.
      try (BridgeClient queue = new BridgeClient("127.0.0.1", port, 15_000);
           BridgeClient tasks = new BridgeClient("127.0.0.1", port, 15_000)) {
        String session = tasks.request(StoreId.SCHEDULER.address(), "session-open", new JsonObject()).getString("session");
        queue.write(send(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication").put("wait_ms", 20_000), "claim"));
        tasks.write(send(StoreId.SCHEDULER, "task-claim", new JsonObject().put("session", session)
            .put("names", new JsonArray().add("PDPProve")).put("wait_ms", 20_000), "task-claim"));
        // Requests of one connection reach a store in order: once each ping is answered, its claim is in the store.
        queue.request(StoreId.REPLICATOR.address(), "ping", new JsonObject());
        tasks.request(StoreId.SCHEDULER.address(), "ping", new JsonObject());

        node.terminate();

        JsonObject jobs = queue.read();
        assertEquals("message", jobs.getString("type"), jobs.encode());
        assertEquals("claim", jobs.getString("address"));
        assertEquals(new JsonObject().put("jobs", new JsonArray()), jobs.getJsonObject("body"));
        JsonObject claimed = tasks.read();
        assertEquals("message", claimed.getString("type"), claimed.encode());
        assertEquals("task-claim", claimed.getString("address"));
        assertEquals(new JsonObject().put("tasks", new JsonArray()), claimed.getJsonObject("body"));
        assertClosed(queue);
        assertClosed(tasks);
      }
      assertEquals(0, node.awaitExit(Duration.ofSeconds(15)));
    }
  }
}
