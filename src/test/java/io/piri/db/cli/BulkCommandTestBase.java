package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Cli;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** {@code piri-db bulk start|status|cancel|list} against a running node, through its bridge. */
public abstract class BulkCommandTestBase extends BridgeCommandTestBase {
  private void deadLetter(String name) throws Exception {
    call(StoreId.REPLICATOR, "enqueue", new JsonObject().put("queue", "replication").put("name", name).put("payload", 1));
    JsonObject job = call(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication")).getJsonArray("jobs").getJsonObject(0);
    call(StoreId.REPLICATOR, "fail", new JsonObject().put("queue", "replication").put("id", job.getLong("id"))
        .put("receipt", job.getString("receipt")).put("error", "boom " + name).put("permanent", true));
  }

  @Test
  void startWaitStatusListAndALateCancel() throws Exception {
    for (String n : new String[] {"a", "b", "a"}) deadLetter(n);
    Cli.Result started = cli("bulk", "start", "replication", "--op", "requeue", "--name", "a", "--wait");
    assertEquals(0, started.code(), started.toString());
    // The first line is the first status read after the start: a batch may have committed by then.
    assertTrue(started.out().lines().findFirst().orElse("").matches(
        "operation 1 on replicator: requeue of queue replication .*: (running, [0-2] of 2|done, 2 of 2) matching done \\(\\d+%\\)"),
        started.out());
    assertTrue(started.out().trim().endsWith("done, 2 of 2 matching done (100%)"), started.out());

    Cli.Result status = cli("bulk", "status", "1", "--json");
    assertEquals(0, status.code(), status.toString());
    JsonObject op = new JsonObject(status.out().trim());
    assertEquals("replicator", op.getString("store"));
    assertEquals("done", op.getString("state"));
    assertEquals(new JsonObject().put("name", "a"), op.getJsonObject("filter"));

    Cli.Result purge = cli("bulk", "start", "replication", "--op", "purge", "--error-prefix", "boom b", "--json");
    assertEquals(0, purge.code(), purge.toString());
    assertEquals(1, new JsonObject(purge.out().trim()).getLong("matching"));
    Cli.Result list = cli("bulk", "list");
    assertTrue(list.out().lines().anyMatch(l -> l.matches("replicator\\s+2\\s+replication\\s+purge\\s+.*")), list.out());
    assertTrue(list.out().lines().anyMatch(l -> l.matches("replicator\\s+1\\s+replication\\s+requeue\\s+done\\s+2\\s+2\\s.*")), list.out());

    Cli.Result late = cli("bulk", "cancel", "1");
    assertEquals(4, late.code(), late.toString());
    assertEquals(409, new JsonObject(late.err().trim()).getInteger("code"));
    Cli.Result missing = cli("bulk", "status", "99");
    assertEquals(4, missing.code(), missing.toString());
    assertEquals(404, new JsonObject(missing.err().trim()).getInteger("code"));
  }

  @Test
  void badFlagsExit2AndNameTheFlag() throws Exception {
    Cli.Result op = cli("bulk", "start", "replication", "--op", "wipe");
    assertEquals(2, op.code(), op.toString());
    assertTrue(op.err().contains("--op"), op.err());
    Cli.Result from = cli("bulk", "start", "replication", "--op", "purge", "--from", "yesterday");
    assertEquals(2, from.code(), from.toString());
    assertTrue(from.err().contains("--from"), from.err());
    Cli.Result state = cli("bulk", "start", "replication", "--op", "purge", "--state", "ready");
    assertEquals(4, state.code(), state.toString());
    assertTrue(state.err().contains("filter.state"), state.err());
    Cli.Result store = cli("bulk", "status", "1", "--store", "scheduler");
    assertEquals(2, store.code(), store.toString());
    assertEquals(2, Cli.run("bulk").code());
    assertEquals(0, call(StoreId.REPLICATOR, "bulk-list", new JsonObject()).getJsonArray("operations").size());
  }
}
