package io.piri.db.adopt;

import static io.piri.db.adopt.PiriScenario.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.queue.FullCount;
import io.piri.db.config.BackendType;
import io.piri.db.support.Cli;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A Piri node's databases, adopted and then served: every job, dead letter, done key, task and
 * proof set is where Piri left it, as seen over the bus.
 */
abstract class AdoptTestBase extends AdoptTestSupport {
  private static final StoreId R = StoreId.REPLICATOR;
  private static final StoreId A = StoreId.AGGREGATOR;
  private static final StoreId E = StoreId.EGRESS_TRACKER;
  private static final StoreId S = StoreId.SCHEDULER;

  @Test
  void dryRunCountsAndChangesNothing() throws Exception {
    piriNode();
    String before = snapshot();

    Cli.Result dry = adopt("--dry-run", "--json");

    assertEquals(0, dry.code(), dry.toString());
    assertEquals(before, snapshot(), "a dry run changes nothing");
    JsonObject out = new JsonObject(dry.out());
    assertTrue(out.getBoolean("dry_run"));
    JsonObject replicator = store(out, R);
    assertEquals("would adopt", replicator.getString("status"));
    JsonObject jobs = replicator.getJsonObject("kinds").getJsonObject("jobs");
    assertEquals(7, jobs.getLong("found"));
    assertEquals(7, jobs.getLong("carried"));
    JsonObject as = jobs.getJsonObject("as");
    assertEquals(2, as.getLong("ready"));
    assertEquals(1, as.getLong("scheduled"));
    assertEquals(2, as.getLong("in flight"));
    assertEquals(1, as.getLong("dead-lettered: delivered its maximum number of times"));
    assertEquals(1, as.getLong("dead-lettered: not a job envelope"));
    assertEquals(2, replicator.getJsonObject("kinds").getJsonObject("dead letters").getLong("carried"));
    JsonObject done = store(out, A).getJsonObject("kinds").getJsonObject("done keys");
    assertEquals(3, done.getLong("found"));
    assertEquals(2, done.getLong("carried"));
    assertEquals(1, done.getLong("skipped"));
    assertTrue(done.getJsonObject("why").fieldNames().iterator().next().contains("takes repeats after a dead letter"), done.encode());
    JsonObject pieces = store(out, S).getJsonObject("kinds").getJsonObject("parked_pieces");
    assertEquals(3, pieces.getLong("found"));
    assertEquals(2, pieces.getLong("carried"));
    assertEquals(PROOF_SETS.length, store(out, S).getJsonObject("kinds").getJsonObject("pdp_proof_sets").getLong("carried"));

    Cli.Result text = adopt("--dry-run");
    assertEquals(0, text.code(), text.toString());
    assertTrue(text.out().contains("(dry run: nothing was changed)"), text.out());
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("replicator") && l.contains("would adopt") && l.contains("jobs")
        && l.matches(".*\\b7\\s+7\\s+0\\b.*") && l.contains("ready 2")), text.out());
    assertEquals(before, snapshot());
  }

  @Test
  void everythingPiriHadIsThereAfterAdoption() throws Exception {
    piriNode();

    Cli.Result run = adopt("--json");

    assertEquals(0, run.code(), run.toString());
    JsonObject out = new JsonObject(run.out());
    for (StoreId s : StoreId.values()) {
      JsonObject r = store(out, s);
      assertEquals("adopted", r.getString("status"), r.encode());
      for (String kind : r.getJsonObject("kinds").fieldNames()) {
        JsonObject k = r.getJsonObject("kinds").getJsonObject(kind);
        assertEquals(k.getLong("found"), k.getLong("carried") + k.getLong("skipped"), s.id() + " " + kind + ": " + k.encode());
      }
      if (config.backend() == BackendType.SQLITE) {
        String backup = r.getString("backup");
        assertNotNull(backup, r.encode());
        assertTrue(Path.of(backup).getFileName().toString().contains("piri"), backup);
        assertTrue(Files.size(Path.of(backup)) > 0, backup);
      }
    }

    startServer(serveConfig());
    counters();
    replicator();
    egressTracker();
    aggregator();
    scheduler();
  }

  /** Piri before v0.2.2 had no payment tables in its Scheduler store: that layout is adopted too. */
  @Test
  void adoptsTheSchedulerOfPiriBeforePayments() throws Exception {
    t0 = clock.now();
    try (PiriNode node = PiriNode.create(config)) {
      new PiriScenario(t0).build(node);
      node.exec(S, "DROP TABLE rail_settlement_waits");
      node.exec(S, "DROP TABLE withdrawal_waits");
    }

    Cli.Result run = adopt("--json");

    assertEquals(0, run.code(), run.toString());
    JsonObject scheduler = store(new JsonObject(run.out()), S);
    assertEquals("Piri v0.1.0-v0.2.1", scheduler.getString("layout"));
    assertFalse(scheduler.getJsonObject("kinds").containsKey("withdrawal_waits"), scheduler.encode());
    startServer(serveConfig());
    assertEquals("proving", call(S, "ps-state", new JsonObject().put("proofset_id", 4)).getString("state"));
  }

  /** The counters stats reads, as adoption derived them: what the adopted rows say, state by state. */
  private void counters() throws Exception {
    FullCount full = new FullCount(config.backend(), config.dataDir(), config.postgres().url());
    for (StoreId store : List.of(R, A, E)) {
      JsonObject queues = call(store, "stats", new JsonObject()).getJsonObject("queues");
      full.byState(store).forEach((queue, rows) -> {
        assertNotNull(queues.getJsonObject(queue), store.id() + " has no queue " + queue + ": " + queues);
        JsonObject counted = queues.getJsonObject(queue).copy();
        counted.remove("done");
        counted.remove("paused");
        assertEquals(rows, counted, store.id() + " queue " + queue);
      });
    }
  }

  private void replicator() throws Exception {
    JsonArray running = call(R, "jobs", new JsonObject().put("queue", "replication").put("state", "running").put("limit", 10))
        .getJsonArray("jobs");
    JsonObject longRunning = running.stream().map(o -> (JsonObject) o).filter(j -> j.getInteger("attempts") == 2)
        .findFirst().orElseThrow(() -> new AssertionError("the job in flight for an hour is not running: " + running));
    assertEquals(t0 + RUNNING_FOR_MS, longRunning.getLong("lease_until"), "in flight until Piri's timeout, to the millisecond");

    JsonArray first = claim(R, "replication", 2, 0);
    assertEquals(2, first.size(), first.encode());
    assertPayload(R_RETRY, first.getJsonObject(0));
    assertEquals(4, first.getJsonObject(0).getInteger("attempt"), "Piri's 3 deliveries count");
    assertEquals("transfer-task", first.getJsonObject(0).getString("name"));
    assertPayload(R_READY, first.getJsonObject(1));
    assertEquals(1, first.getJsonObject(1).getInteger("attempt"));

    // The job Piri had in flight until t0 + 4 s comes back once that passes: a claim that waits
    // for it is woken by the store at the lease's end (no polling), when the clock gets there.
    long deadline = clock.now() + 20_000;
    var waiting = request(R, "claim", new JsonObject().put("queue", "replication").put("max", 1).put("wait_ms", 20_000));
    clock.awaitTimerAt(deadline);
    clock.awaitTimerAt(t0 + SOON_MS + 1);
    clock.advanceTo(t0 + SOON_MS - 1);
    assertFalse(waiting.isComplete(), "not before Piri's timeout");
    clock.advanceTo(t0 + SOON_MS + 1);
    JsonArray back = await(waiting).getJsonArray("jobs");
    assertEquals(1, back.size(), "the job in flight comes back after its timeout: " + back.encode());
    JsonObject soon = back.getJsonObject(0);
    assertEquals(2, soon.getInteger("attempt"));
    assertPayload(R_SOON, soon);

    JsonObject stats = call(R, "stats", new JsonObject().put("queue", "replication")).getJsonObject("queues").getJsonObject("replication");
    assertEquals(1, stats.getLong("scheduled"), "the delayed job waits for its time: " + stats);
    assertEquals(0, stats.getLong("ready"), stats.encode());

    JsonArray dead = deadList(R, "replication");
    assertEquals(4, dead.size(), dead.encode());
    assertDead(dead.getJsonObject(0), RD_RETRIES, "max_attempts", "upload failed: 503");
    assertEquals(10, dead.getJsonObject(0).getInteger("attempts"));
    assertDead(dead.getJsonObject(1), RD_PERMANENT, "permanent_error", "bad request");
    assertDead(dead.getJsonObject(2), R_STUCK, "max_attempts", null);
    assertEquals(R_GARBAGE.length, Base64.getDecoder().decode(dead.getJsonObject(3).getString("payload_base64")).length);
    assertEquals("permanent_error", dead.getJsonObject(3).getString("reason"));
  }

  private void egressTracker() throws Exception {
    JsonArray jobs = claim(E, "egress-tracker", 10, 0);
    assertEquals(1, jobs.size(), jobs.encode());
    assertPayload(E_READY, jobs.getJsonObject(0));
    assertEquals("egress-track-task", jobs.getJsonObject(0).getString("name"));
    JsonArray dead = deadList(E, "egress-tracker");
    assertEquals(1, dead.size());
    assertDead(dead.getJsonObject(0), E_DEAD, "max_attempts", "no route");
  }

  private void aggregator() throws Exception {
    JsonArray commp = claim(A, "compute_commp", 10, 0);
    assertEquals(1, commp.size(), commp.encode());
    assertPayload(C_READY, commp.getJsonObject(0));

    JsonArray manager = call(A, "jobs", new JsonObject().put("queue", "manager").put("state", "running")).getJsonArray("jobs");
    assertEquals(1, manager.size(), manager.encode());
    assertEquals(t0 + RUNNING_FOR_MS, manager.getJsonObject(0).getLong("lease_until"));
    assertEquals(0, claim(A, "manager", 10, 0).size(), "in flight: not claimable before its timeout");

    JsonArray agg = claim(A, "aggregator", 10, 0);
    assertEquals(1, agg.size(), agg.encode());
    assertPayload(A_READY, agg.getJsonObject(0));
    assertEquals("aggregate_piece", agg.getJsonObject(0).getString("name"));
    JsonArray aggRunning = call(A, "jobs", new JsonObject().put("queue", "aggregator").put("state", "running")).getJsonArray("jobs");
    assertEquals(2, aggRunning.size(), "the job claimed now and the one Piri had in flight: " + aggRunning);

    assertTrue(enqueue("aggregator", "aggregate_piece", A_DONE), "completed in Piri: a repeat is a duplicate");
    assertTrue(enqueue("aggregator", "aggregate_piece", A_RUNNING), "live: a repeat is a duplicate");
    assertTrue(enqueue("blocking", "job-x", B_DEAD_KEY), "dead-lettered on a queue that blocks repeats");
    assertFalse(enqueue("aggregator", "aggregate_piece", A_DEAD_KEY), "the aggregator takes repeats after a dead letter");
    assertFalse(enqueue("aggregator", "aggregate_piece", bytes(0xd8, 0x2a, 0x07)), "a new piece");

    JsonArray dead = deadList(A, "aggregator");
    assertEquals(1, dead.size(), dead.encode());
    assertDead(dead.getJsonObject(0), A_DEAD, "max_attempts", "aggregation failed");
    assertEquals(A_DEAD_ID, dead.getJsonObject(0).getLong("job_id"));
    assertEquals(50, dead.getJsonObject(0).getInteger("attempts"));

    JsonObject stats = call(A, "stats", new JsonObject()).getJsonObject("queues");
    assertEquals(1, stats.getJsonObject("aggregator").getLong("done"), "Piri's completed keys count as done: " + stats);
  }

  private void scheduler() throws Exception {
    for (PiriScenario.ProofSet ps : PROOF_SETS) {
      JsonObject state = call(S, "ps-state", new JsonObject().put("proofset_id", ps.id()));
      assertEquals(ps.state(), state.getString("state"), "proof set " + ps.id() + ": " + state);
      assertEquals(ps.proveAt(), state.getJsonObject("proof_set").getLong("prove_at_epoch"), "proof set " + ps.id());
    }
    assertTrue(call(S, "ps-state", new JsonObject().put("proofset_id", 4)).getBoolean("is_proving"));

    String session = call(S, "session-open", new JsonObject()).getString("session");
    JsonArray tasks = call(S, "task-claim", new JsonObject().put("session", session)
        .put("names", new JsonArray().add("PDPInitPP").add("PDPProvingPeriod").add("PDPProve").add("SendTransaction"))
        .put("max", 10)).getJsonArray("tasks");
    Set<String> claimed = new TreeSet<>();
    for (Object o : tasks) {
      JsonObject t = (JsonObject) o;
      claimed.add(t.getLong("id") + ":" + t.getLong("retries"));
    }
    assertEquals(new TreeSet<>(List.of(T_INIT + ":0", T_NEXT + ":0", T_PROVE + ":1", T_SEND + ":2")), claimed,
        "held tasks released, retries kept; the task in its retry wait is not runnable yet");
    JsonObject send = call(S, "task-stats", new JsonObject()).getJsonObject("SendTransaction");
    assertEquals(1, send.getLong("waiting"), send.encode());

    JsonArray history = call(S, "task-history", new JsonObject().put("task_id", T_SEND)).getJsonArray("rows");
    assertEquals(List.of("failed", "deferred"), outcomes(history, "outcome"));
    assertEquals("error: rpc down", history.getJsonObject(0).getString("err"));
    assertEquals(List.of("dropped"), outcomes(call(S, "task-history", new JsonObject().put("task_id", 91)).getJsonArray("rows"), "state"));
    assertEquals(List.of("deleted"), outcomes(call(S, "task-history", new JsonObject().put("task_id", 90)).getJsonArray("rows"), "state"));

    long added = call(S, "task-add", new JsonObject().put("name", "SendTransaction")).getLong("id");
    assertTrue(added > PIRI_TASK_SEQ, "a new task never takes an id Piri handed out: " + added);

    // The proving schedule goes on exactly as Piri's adders would have taken it.
    assertEquals(List.of(7L), scheduled("ps-schedule-init", new JsonObject()));
    assertEquals(List.of(3L), scheduled("ps-schedule-prove", new JsonObject().put("head_epoch", 1001)));
    assertEquals(List.of(3L, 4L), scheduled("ps-schedule-next", new JsonObject().put("head_epoch", 4000 + CHALLENGE_WINDOW - 1)));
    assertEquals(List.of(6L), scheduled("ps-schedule-next", new JsonObject().put("head_epoch", 4000 + CHALLENGE_WINDOW)));
    assertEquals("next_scheduled", call(S, "ps-state", new JsonObject().put("proofset_id", 6)).getString("state"));

    JsonArray roots = call(S, "roots-list", new JsonObject().put("proofset_id", 4)).getJsonArray("roots");
    assertEquals(2, roots.size(), roots.encode());
    JsonObject wait = call(S, "msg-get-wait", new JsonObject().put("signed_tx_hash", PiriScenario.hash("challenge-3")));
    assertEquals("confirmed", wait.getString("tx_status"));
    assertTrue(wait.getBoolean("tx_success"));
    assertEquals(1, call(S, "msg-list-pending", new JsonObject()).getJsonArray("messages").stream()
        .filter(m -> ((JsonObject) m).getString("signed_tx_hash").equals(PiriScenario.hash("pending"))).count());
  }

  private JsonArray claim(StoreId store, String queue, int max, int waitMs) throws Exception {
    return call(store, "claim", new JsonObject().put("queue", queue).put("max", max).put("wait_ms", waitMs)).getJsonArray("jobs");
  }

  private JsonArray deadList(StoreId store, String queue) throws Exception {
    return call(store, "dead-list", new JsonObject().put("queue", queue)).getJsonArray("jobs");
  }

  /** Enqueues a payload with Piri's dedupe key; true when the store refused it as a duplicate. */
  private boolean enqueue(String queue, String name, byte[] payload) throws Exception {
    JsonObject r = call(A, "enqueue", new JsonObject().put("queue", queue).put("name", name)
        .put("payload_base64", Base64.getEncoder().encodeToString(payload))
        .put("dedupe_key", HexFormat.of().formatHex(PiriNode.sha256(payload))));
    return r.getBoolean("duplicate");
  }

  private List<Long> scheduled(String action, JsonObject body) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (Object o : call(S, action, body).getJsonArray("scheduled")) ids.add(((JsonObject) o).getLong("proofset_id"));
    ids.sort(null);
    return ids;
  }

  private static List<String> outcomes(JsonArray rows, String field) {
    List<String> out = new ArrayList<>();
    for (Object o : rows) out.add(((JsonObject) o).getString(field));
    return out;
  }

  private static void assertPayload(byte[] expected, JsonObject job) {
    assertNull(job.getValue("payload"), "Piri's payloads come back as bytes: " + job);
    assertArrayEquals(expected, Base64.getDecoder().decode(job.getString("payload_base64")), job.encode());
  }

  private static void assertDead(JsonObject dead, byte[] payload, String reason, String error) {
    assertPayload(payload, dead);
    assertEquals(reason, dead.getString("reason"), dead.encode());
    if (error != null) assertEquals(error, dead.getString("error"));
  }
}
