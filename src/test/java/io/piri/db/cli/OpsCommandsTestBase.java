package io.piri.db.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Cli;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator commands (queues, jobs, dead) against a running node, through its bridge. */
public abstract class OpsCommandsTestBase extends BridgeCommandTestBase {
  private long enqueue(StoreId store, String queue, String name) throws Exception {
    return call(store, "enqueue", new JsonObject().put("queue", queue).put("name", name).put("payload", new JsonObject()))
        .getLong("id");
  }

  @Test
  void queuesListsEveryQueueOfTheThreeStoresWithItsCounts() throws Exception {
    enqueue(StoreId.REPLICATOR, "replication", "a");
    enqueue(StoreId.REPLICATOR, "replication", "b");
    enqueue(StoreId.AGGREGATOR, "manager", "m");
    Cli.Result json = cli("queues", "--json");
    assertEquals(0, json.code(), json.toString());
    JsonObject queues = new JsonObject(json.out().trim()).getJsonObject("queues");
    assertEquals(5, queues.size(), json.out());
    assertEquals(2L, queues.getJsonObject("replication").getLong("ready"));
    assertEquals("replicator", queues.getJsonObject("replication").getString("store"));
    assertEquals(1L, queues.getJsonObject("manager").getLong("ready"));
    assertEquals("egress_tracker", queues.getJsonObject("egress-tracker").getString("store"));

    Cli.Result table = cli("queues");
    assertEquals(0, table.code(), table.toString());
    String[] lines = table.out().split("\n");
    assertTrue(lines[0].matches("QUEUE\\s+STORE\\s+READY\\s+SCHEDULED\\s+RUNNING\\s+DEAD\\s+DONE"), lines[0]);
    assertTrue(table.out().lines().anyMatch(l -> l.matches("replication\\s+replicator\\s+2\\s+0\\s+0\\s+0\\s+0")), table.out());
  }

  @Test
  void jobsShowsOldestReadyAndRunningJobsOfTheQueue() throws Exception {
    long first = enqueue(StoreId.AGGREGATOR, "compute_commp", "c1");
    long second = enqueue(StoreId.AGGREGATOR, "compute_commp", "c2");
    long third = enqueue(StoreId.AGGREGATOR, "compute_commp", "c3");
    JsonArray claimed = call(StoreId.AGGREGATOR, "claim", new JsonObject().put("queue", "compute_commp").put("max", 1))
        .getJsonArray("jobs");
    assertEquals(first, claimed.getJsonObject(0).getLong("id"));

    Cli.Result json = cli("jobs", "compute_commp", "--json");
    assertEquals(0, json.code(), json.toString());
    JsonObject out = new JsonObject(json.out().trim());
    assertEquals("aggregator", out.getString("store"));
    assertEquals(second, out.getJsonArray("ready").getJsonObject(0).getLong("id"));
    assertEquals(third, out.getJsonArray("ready").getJsonObject(1).getLong("id"));
    assertEquals(1, out.getJsonArray("running").size());
    assertEquals(first, out.getJsonArray("running").getJsonObject(0).getLong("id"));
    assertEquals(1, out.getJsonArray("running").getJsonObject(0).getInteger("attempts"));

    Cli.Result limited = cli("jobs", "compute_commp", "--state", "ready", "--limit", "1", "--json");
    JsonObject one = new JsonObject(limited.out().trim());
    assertEquals(1, one.getJsonArray("ready").size());
    assertTrue(!one.containsKey("running"));

    Cli.Result table = cli("jobs", "compute_commp");
    assertEquals(0, table.code(), table.toString());
    assertTrue(table.out().contains("ready (2):"), table.out());
    assertTrue(table.out().contains("running (1):"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith(first + " ") && l.contains("c1") && l.contains("1/50")), table.out());
  }

  @Test
  void jobsPagesScheduledJobsWithAfterAndShowTellsAJobsDeliveries() throws Exception {
    for (int i = 0; i < 3; i++) {
      call(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "manager").put("name", "s" + i).put("payload", i)
          .put("delay_ms", 60_000 + i));
    }
    Cli.Result first = cli("jobs", "manager", "--state", "scheduled", "--limit", "2");
    assertEquals(0, first.code(), first.toString());
    String more = first.out().lines().filter(l -> l.startsWith("more: ")).findFirst().orElseThrow();
    String cursor = more.substring(more.indexOf("--after ") + 8);
    Cli.Result rest = cli("jobs", "manager", "--state", "scheduled", "--limit", "2", "--after", cursor, "--json");
    JsonObject page = new JsonObject(rest.out().trim());
    assertEquals("s2", page.getJsonArray("scheduled").getJsonObject(0).getString("name"));
    assertEquals(null, page.getJsonObject("next").getValue("scheduled"));
    assertEquals(2, cli("jobs", "manager", "--after", cursor).code(), "--after needs one --state");

    long id = enqueue(StoreId.REPLICATOR, "replication", "shown");
    JsonObject job = call(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication")).getJsonArray("jobs").getJsonObject(0);
    call(StoreId.REPLICATOR, "fail", new JsonObject().put("queue", "replication").put("id", id)
        .put("receipt", job.getString("receipt")).put("error", "boom").put("permanent", true));
    Cli.Result shown = cli("show", "replication", String.valueOf(id), "--json");
    assertEquals(0, shown.code(), shown.toString());
    JsonObject out = new JsonObject(shown.out().trim());
    assertEquals("dead", out.getJsonObject("job").getString("state"));
    assertEquals("dead_lettered", out.getJsonArray("deliveries").getJsonObject(0).getString("outcome"));
    Cli.Result table = cli("show", "replication", String.valueOf(id));
    assertTrue(table.out().contains("requeue: piri-db dead requeue replication " + out.getJsonObject("job").getLong("dead_id")), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith("1 ") && l.contains("dead_lettered") && l.contains("boom")), table.out());
    assertEquals(4, cli("show", "replication", "999999").code());
  }

  @Test
  void deadListRequeueAndPurge() throws Exception {
    long[] ids = new long[3];
    for (int i = 0; i < 3; i++) {
      ids[i] = enqueue(StoreId.REPLICATOR, "replication", "d" + i);
      JsonObject job = call(StoreId.REPLICATOR, "claim", new JsonObject().put("queue", "replication")).getJsonArray("jobs").getJsonObject(0);
      call(StoreId.REPLICATOR, "fail", new JsonObject().put("queue", "replication").put("id", job.getLong("id"))
          .put("receipt", job.getString("receipt")).put("error", "boom " + i).put("permanent", true));
    }
    Cli.Result list = cli("dead", "list", "replication", "--json");
    assertEquals(0, list.code(), list.toString());
    JsonArray dead = new JsonObject(list.out().trim()).getJsonArray("jobs");
    assertEquals(3, dead.size());
    long deadId0 = dead.getJsonObject(0).getLong("id");
    long deadId1 = dead.getJsonObject(1).getLong("id");

    Cli.Result table = cli("dead", "list", "replication");
    assertTrue(table.out().lines().anyMatch(l -> l.contains("permanent_error") && l.contains("boom 2")), table.out());

    Cli.Result requeued = cli("dead", "requeue", "replication", String.valueOf(deadId0));
    assertEquals(0, requeued.code(), requeued.toString());
    assertEquals("requeued 1 job(s) of queue replication", requeued.out().trim());
    Cli.Result purged = cli("dead", "purge", "replication", String.valueOf(deadId1), "--json");
    assertEquals(1, new JsonObject(purged.out().trim()).getInteger("purged"));
    JsonObject stats = call(StoreId.REPLICATOR, "stats", new JsonObject().put("queue", "replication"))
        .getJsonObject("queues").getJsonObject("replication");
    assertEquals(1L, stats.getLong("ready"));
    assertEquals(1L, stats.getLong("dead"));
    Cli.Result all = cli("dead", "purge", "replication", "--all");
    assertEquals("purged 1 job(s) of queue replication", all.out().trim(), all.toString());
  }

  @Test
  void rollupsShowsTheQueuesMinutes() throws Exception {
    enqueue(StoreId.REPLICATOR, "replication", "a");
    enqueue(StoreId.REPLICATOR, "replication", "b");
    long minute = clock.now() - Math.floorMod(clock.now(), 60_000L);
    clock.advanceTo(minute + 60_001);
    Cli.Result json = cli("rollups", "replication", "--json");
    assertEquals(0, json.code(), json.toString());
    JsonObject reply = new JsonObject(json.out().trim());
    assertEquals("replicator", reply.getString("store"));
    JsonArray minutes = reply.getJsonArray("minutes");
    assertEquals(1, minutes.size(), json.out());
    assertEquals(minute, minutes.getJsonObject(0).getLong("minute"));
    assertEquals(2L, minutes.getJsonObject(0).getLong("enqueued"));

    Cli.Result table = cli("rollups", "replication", "--window", "day");
    assertEquals(0, table.code(), table.toString());
    String[] lines = table.out().split("\n");
    assertTrue(lines[0].matches("MINUTE\\s+ENQUEUED\\s+COMPLETED\\s+FAILED\\s+DEAD\\s+LAG_MS\\s+CLAIM_P50_MS.*"), lines[0]);
    assertTrue(lines[1].matches("\\S+\\s+2\\s+0\\s+0\\s+0\\s+\\d+\\s+-\\s+-\\s+-"), table.out());
    Cli.Result none = cli("rollups", "manager");
    assertTrue(none.out().startsWith("no activity"), none.toString());
    Cli.Result window = cli("rollups", "replication", "--window", "week");
    assertEquals(2, window.code(), window.toString());
    assertTrue(window.err().contains("--window"), window.err());
  }

  @Test
  void anUnknownQueueExits4WithNotFound() {
    Cli.Result r = cli("jobs", "nope");
    assertEquals(4, r.code(), r.toString());
    JsonObject err = new JsonObject(r.err().trim());
    assertEquals(404, err.getInteger("code"));
    assertEquals("not_found", err.getString("error"));
    assertTrue(err.getString("message").contains("nope"));
    assertEquals("", r.out());
  }

  @Test
  void badFlagsExit2AndNameTheFlag() {
    Cli.Result both = cli("dead", "purge", "replication", "1", "--all");
    assertEquals(2, both.code(), both.toString());
    assertTrue(both.err().contains("--all"), both.err());
    Cli.Result neither = cli("dead", "requeue", "replication");
    assertEquals(2, neither.code(), neither.toString());
    Cli.Result notAnId = cli("dead", "requeue", "replication", "x1");
    assertEquals(2, notAnId.code(), notAnId.toString());
    Cli.Result limit = cli("jobs", "replication", "--limit", "0");
    assertEquals(2, limit.code(), limit.toString());
    assertTrue(limit.err().contains("--limit"), limit.err());
    Cli.Result unknown = cli("queues", "--frobnicate");
    assertEquals(2, unknown.code(), unknown.toString());
    Cli.Result noSub = Cli.run("dead");
    assertEquals(2, noSub.code(), noSub.toString());
  }

  @Test
  void auditShowsEveryStoresChangesNewestFirstWithWhoMadeThem() throws Exception {
    Cli.Result empty = cli("audit", "--json");
    assertEquals(0, empty.code(), empty.toString());
    assertEquals(0, new JsonObject(empty.out().trim()).getJsonArray("rows").size());
    assertEquals(0, cli("dead", "purge", "replication", "--all").code());
    clock.advance(1_000);
    io.vertx.core.eventbus.DeliveryOptions console = new io.vertx.core.eventbus.DeliveryOptions().addHeader("action", "dead-requeue")
        .addHeader("actor", "otto").addHeader("actor_role", "operator").addHeader("via", "console");
    await(vertx.eventBus().request(StoreId.AGGREGATOR.address(), new JsonObject().put("queue", "manager").put("ids", new JsonArray().add(5)),
        console));
    clock.advance(1_000);
    assertEquals(0, cli("dead", "requeue", "egress-tracker", "3,4").code());

    Cli.Result json = cli("audit", "--json");
    assertEquals(0, json.code(), json.toString());
    JsonArray rows = new JsonObject(json.out().trim()).getJsonArray("rows");
    assertEquals(3, rows.size(), rows.encode());
    JsonObject newest = rows.getJsonObject(0);
    assertEquals("egress_tracker", newest.getString("store"));
    assertEquals("dead-requeue", newest.getString("action"));
    assertEquals("egress-tracker", newest.getString("queue"));
    assertEquals(new JsonArray().add(3).add(4), newest.getJsonObject("filter").getJsonArray("ids"));
    assertEquals(System.getProperty("user.name"), newest.getString("actor"), "the CLI names the OS user");
    assertEquals("cli", newest.getString("via"));
    assertEquals("otto", rows.getJsonObject(1).getString("actor"));
    assertEquals("aggregator", rows.getJsonObject(1).getString("store"));
    JsonObject oldest = rows.getJsonObject(2);
    assertEquals("replicator", oldest.getString("store"));
    assertEquals(new JsonObject().put("queue", "replication").put("all", true), oldest.getJsonObject("filter"));
    assertEquals(clock.now() - 2_000, oldest.getLong("at"));

    Cli.Result one = cli("audit", "--limit", "1", "--json");
    assertEquals(List.of("egress_tracker"), new JsonObject(one.out().trim()).getJsonArray("rows").stream()
        .map(o -> ((JsonObject) o).getString("store")).toList());
    Cli.Result table = cli("audit");
    assertEquals(0, table.code(), table.toString());
    List<String> lines = table.out().lines().toList();
    assertTrue(lines.get(0).matches("AT\\s+STORE\\s+ACTOR\\s+ROLE\\s+VIA\\s+ACTION\\s+QUEUE\\s+ROWS\\s+FILTER"), lines.get(0));
    assertEquals(4, lines.size(), table.out());
    assertTrue(lines.get(2).matches("\\S+\\s+aggregator\\s+otto\\s+operator\\s+console\\s+dead-requeue\\s+manager\\s+0\\s+\\{.*"), lines.get(2));
    assertTrue(lines.get(3).contains("replicator") && lines.get(3).contains("dead-purge") && lines.get(3).contains(" - "), lines.get(3));
    Cli.Result bad = cli("audit", "--limit", "1001");
    assertEquals(2, bad.code(), bad.toString());
    assertTrue(bad.err().contains("--limit"), bad.err());
  }
}
