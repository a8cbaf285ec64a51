package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Cli;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code piri-db pause} and {@code resume}, of one queue and of a whole store, against a running node. */
public abstract class PauseCommandsTestBase extends BridgeCommandTestBase {
  @Test
  void pauseAndResumeOneQueue() throws Exception {
    Cli.Result paused = cli("pause", "manager");
    assertEquals(0, paused.code(), paused.toString());
    assertTrue(paused.out().trim().matches("manager: paused since \\S+ by " + System.getProperty("user.name")), paused.out());
    assertTrue(queuePaused(StoreId.AGGREGATOR, "manager"));
    assertFalse(queuePaused(StoreId.AGGREGATOR, "aggregator"));
    call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "m").put("payload", 1));
    assertEquals(0, call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "manager")).getJsonArray("jobs").size());

    Cli.Result resumed = cli("resume", "manager", "--json");
    assertEquals(0, resumed.code(), resumed.toString());
    JsonObject reply = new JsonObject(resumed.out().trim());
    assertEquals("manager", reply.getString("queue"));
    assertEquals(false, reply.getBoolean("paused"));
    assertEquals(clock.now(), reply.getLong("at"));
    assertEquals("cli", assertResumedWithItsJob(StoreId.AGGREGATOR, "manager").getString("via"));
  }

  @Test
  void pauseAndResumeEveryQueueOfAStore() throws Exception {
    Cli.Result json = cli("pause", "--all", "--store", "aggregator", "--json");
    assertEquals(0, json.code(), json.toString());
    JsonArray queues = new JsonObject(json.out().trim()).getJsonArray("queues");
    assertEquals(List.of("aggregator", "compute_commp", "manager"), queues.stream().map(o -> ((JsonObject) o).getString("queue")).toList());
    for (String q : List.of("aggregator", "compute_commp", "manager")) assertTrue(queuePaused(StoreId.AGGREGATOR, q), q);
    assertFalse(queuePaused(StoreId.REPLICATOR, "replication"));

    Cli.Result table = cli("resume", "--all", "--store", "aggregator");
    assertEquals(0, table.code(), table.toString());
    List<String> lines = table.out().lines().toList();
    assertEquals(3, lines.size(), table.out());
    assertTrue(lines.get(2).startsWith("manager: resumed at "), lines.get(2));
    for (String q : List.of("aggregator", "compute_commp", "manager")) assertFalse(queuePaused(StoreId.AGGREGATOR, q), q);
  }

  @Test
  void badArgumentsExit2AndAnUnknownQueueExits4() throws Exception {
    for (String[] args : List.of(new String[] {"pause"}, new String[] {"pause", "manager", "--all", "--store", "aggregator"},
        new String[] {"pause", "--all"}, new String[] {"resume", "--all", "--store", "scheduler"},
        new String[] {"resume", "manager", "--store", "aggregator"})) {
      Cli.Result r = cli(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r);
    }
    Cli.Result unknown = cli("pause", "nope");
    assertEquals(4, unknown.code(), unknown.toString());
    assertEquals(404, new JsonObject(unknown.err().trim()).getInteger("code"));
    assertEquals(0, call(StoreId.AGGREGATOR, "audit-list", new JsonObject()).getJsonArray("rows").size());
    assertFalse(queuePaused(StoreId.AGGREGATOR, "manager"));
  }
}
