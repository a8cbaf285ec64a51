package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Bulk operations: requeue, purge and cancel of everything a filter matches, over many batches,
 * do each matching row exactly once and nothing else, keep the counters equal to the rows, show
 * their progress, re-read the filter in every batch, stop when cancelled, resume after a restart,
 * and refuse bad input changing nothing. Batches run one clock pause apart: the test moves the
 * clock to let the next one go.
 */
public abstract class BulkTestBase extends QueueTestBase {
  private static final int ROWS = 2_500;

  private static final long LONG_LEASE = 600_000;

  private FullCount full() {
    return new FullCount(config.backend(), config.dataDir(), config.postgres().url());
  }

  /** Enqueues {@code n} jobs named {@code name} and returns them claimed (with a long lease). */
  private List<JsonObject> claimed(String queue, String name, int n) throws Exception {
    for (int from = 0; from < n; from += 1000) {
      JsonArray jobs = new JsonArray();
      for (int i = from; i < Math.min(n, from + 1000); i++) jobs.add(job(name, i));
      call(R, "enqueue-batch", new JsonObject().put("queue", queue).put("jobs", jobs));
    }
    List<JsonObject> out = new ArrayList<>();
    while (out.size() < n) {
      JsonArray got = call(R, "claim", claimBody(queue, Math.min(1000, n - out.size())).put("lease_ms", LONG_LEASE)).getJsonArray("jobs");
      assertTrue(got.size() > 0, "jobs left to claim");
      for (int i = 0; i < got.size(); i++) out.add(got.getJsonObject(i));
    }
    return out;
  }

  /** Makes {@code n} dead letters named {@code name} with error {@code error} (failed permanently). */
  private void deadLetters(String queue, String name, String error, int n) throws Exception {
    List<JsonObject> jobs = claimed(queue, name, n);
    // A hundred at a time: together, but within what a PostgreSQL pool of the tests serves at once.
    for (int from = 0; from < n; from += 100) {
      List<Future<JsonObject>> fails = new ArrayList<>();
      for (JsonObject j : jobs.subList(from, Math.min(n, from + 100))) {
        fails.add(request(R, "fail", held(queue, j).put("error", error).put("permanent", true)));
      }
      Future.all(fails).await(60, TimeUnit.SECONDS);
    }
  }

  private JsonObject start(String queue, String op, JsonObject filter) throws Exception {
    return call(R, "bulk-start", new JsonObject().put("queue", queue).put("op", op).put("filter", filter));
  }

  private JsonObject status(long id) throws Exception {
    return call(R, "bulk-status", new JsonObject().put("operation", id));
  }

  /** Waits for the operation's first batch (which starts at once) to have committed. */
  private JsonObject firstBatch(long id) throws Exception {
    JsonObject[] st = new JsonObject[1];
    Eventually.until("the first batch of operation " + id, () -> (st[0] = status(id)).getLong("last_id") > 0);
    return st[0];
  }

  /**
   * Lets batches run until the operation is no longer running, moving the clock over each pause:
   * in small steps, or, once a timer is set within the pause that follows the last batch this node
   * reports, over that whole pause, so that a slow batch's long pause takes one look, not many.
   */
  private JsonObject drive(long id) throws Exception {
    JsonObject[] st = new JsonObject[1];
    long[] done = {-1};
    Eventually.until("operation " + id + " ends", Duration.ofMinutes(3), () -> {
      st[0] = status(id);
      assertTrue(st[0].getLong("done") >= done[0], "done never goes back: " + st[0]);
      done[0] = st[0].getLong("done");
      if (!st[0].getString("state").equals("running")) return true;
      long pause = Math.round(st[0].getDouble("last_batch_ms", 0.0) * BulkRunner.PAUSE_FACTOR);
      long now = clock.now();
      clock.advance(pause > 50 && clock.count(due -> due > now && due <= now + pause) > 0 ? pause : 50);
      return false;
    });
    return st[0];
  }

  /** Every queue's stats of the replicator equal its rows counted one by one; answers them. */
  private JsonObject assertCountersExact(String queue) throws Exception {
    Map<String, JsonObject> rows = full().byState(R);
    JsonObject stats = stats(R, queue).copy();
    stats.remove("done");
    stats.remove("paused");
    JsonObject counted = rows.getOrDefault(queue, counts(0, 0, 0, 0, 0));
    counted.remove("done");
    counted.remove("paused");
    assertEquals(counted, stats, "stats of " + queue + " against its rows counted one by one");
    return stats;
  }

  private List<String> deadNames(String queue) throws Exception {
    List<String> names = new ArrayList<>();
    for (long after = 0; ; ) {
      JsonObject page = call(R, "dead-list", new JsonObject().put("queue", queue).put("limit", 1000).put("after_id", after));
      for (Object o : page.getJsonArray("jobs")) names.add(((JsonObject) o).getString("name") + ":" + ((JsonObject) o).getString("reason"));
      if (page.getValue("next_after_id") == null) return names;
      after = page.getLong("next_after_id");
    }
  }

  private JsonArray audit(StoreId store) throws Exception {
    return call(store, "audit-list", new JsonObject()).getJsonArray("rows");
  }

  @Test
  void requeueOfAllMatchingDoesEachRowOnceOverManyBatches() throws Exception {
    startQueues();
    deadLetters("t", "a", "boom: disk", ROWS);
    deadLetters("t", "b", "boom: net", 300);
    JsonObject started = start("t", "requeue", new JsonObject().put("name", "a"));
    assertEquals(ROWS, started.getLong("matching"));
    long id = started.getLong("operation");
    JsonObject first = firstBatch(id);
    assertTrue(first.getLong("done") > 0 && first.getLong("done") < ROWS, "a first batch, not all: " + first);
    assertEquals("running", first.getString("state"));

    JsonObject end = drive(id);
    assertEquals("done", end.getString("state"));
    assertEquals(ROWS, end.getLong("done"));
    assertEquals(ROWS, end.getLong("matching"));
    JsonObject stats = assertCountersExact("t");
    assertEquals(ROWS, stats.getLong("ready"));
    assertEquals(300, stats.getLong("dead"));
    assertTrue(deadNames("t").stream().allMatch(n -> n.equals("b:permanent_error")));
    // Each requeued job once: claimable, each payload once.
    Set<Object> payloads = new HashSet<>();
    JsonArray all = call(R, "claim", claimBody("t", 1000).put("lease_ms", LONG_LEASE)).getJsonArray("jobs");
    while (!all.isEmpty()) {
      for (Object o : all) assertTrue(payloads.add(((JsonObject) o).getValue("payload")), "payload once: " + o);
      all = call(R, "claim", claimBody("t", 1000).put("lease_ms", LONG_LEASE)).getJsonArray("jobs");
    }
    assertEquals(ROWS, payloads.size());

    JsonArray rows = audit(R);
    assertEquals("bulk-done", rows.getJsonObject(0).getString("action"));
    assertEquals(ROWS, rows.getJsonObject(0).getLong("affected"));
    assertEquals("bulk-start", rows.getJsonObject(1).getString("action"));
    assertEquals(ROWS, rows.getJsonObject(1).getLong("affected"));
  }

  @Test
  void purgeByErrorPrefixAndTimeLeavesTheRest() throws Exception {
    startQueues();
    deadLetters("t", "a", "boom: disk", ROWS);
    long cut = clock.now();
    clock.advance(10);
    deadLetters("t", "a", "boom: later", 200);
    deadLetters("t", "a", "other", 100);
    JsonObject started = start("t", "purge", new JsonObject().put("error_prefix", "boom").put("to", cut));
    assertEquals(ROWS, started.getLong("matching"));
    JsonObject end = drive(started.getLong("operation"));
    assertEquals(ROWS, end.getLong("done"));
    JsonObject stats = assertCountersExact("t");
    assertEquals(300, stats.getLong("dead"));
    assertEquals(300, deadNames("t").size());
  }

  @Test
  void cancelMovesLiveJobsToTheDeadLettersOnce() throws Exception {
    startQueues();
    List<JsonObject> running = claimed("t", "run", 500);
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 1000; i++) batch.add(job("later", i).put("delay_ms", 60_000));
    call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch));
    for (int from = 0; from < 1500; from += 1000) {
      JsonArray ready = new JsonArray();
      for (int i = from; i < Math.min(1500, from + 1000); i++) ready.add(job("now", i));
      call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", ready));
    }
    enqueue(R, "t-other", "elsewhere", 1);
    assertEquals(counts(1500, 1000, 500, 0, 0), stats(R, "t"));

    JsonObject started = start("t", "cancel", new JsonObject());
    assertEquals(3000, started.getLong("matching"));
    JsonObject end = drive(started.getLong("operation"));
    assertEquals(3000, end.getLong("done"));
    assertEquals(counts(0, 0, 0, 3000, 0), stats(R, "t"));
    assertCountersExact("t");
    assertEquals(counts(1, 0, 0, 0, 0), stats(R, "t-other"));
    assertTrue(deadNames("t").stream().allMatch(n -> n.endsWith(":cancelled")));
    // A holder of a cancelled job hears what a holder of any dead-lettered job hears, and changes nothing.
    assertCode(404, callFails(R, "complete", held("t", running.get(0))), String.valueOf(running.get(0).getLong("id")));
    assertCode(404, callFails(R, "fail", held("t", running.get(1)).put("error", "late")), null);
    assertEquals(counts(0, 0, 0, 3000, 0), stats(R, "t"));
  }

  @Test
  void theFilterIsReadAgainInEveryBatch() throws Exception {
    startQueues();
    for (int from = 0; from < ROWS; from += 1000) {
      JsonArray ready = new JsonArray();
      for (int i = from; i < Math.min(ROWS, from + 1000); i++) ready.add(job("now", i));
      call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", ready));
    }
    JsonObject started = start("t", "cancel", new JsonObject().put("state", "ready"));
    long id = started.getLong("operation");
    JsonObject first = firstBatch(id);
    // Claimed between two batches, the next ready jobs no longer match: they are left alone.
    List<JsonObject> taken = ids(call(R, "claim", claimBody("t", 50).put("lease_ms", LONG_LEASE)).getJsonArray("jobs")).stream()
        .map(i -> new JsonObject().put("id", i)).toList();
    assertEquals(50, taken.size());
    JsonObject end = drive(id);
    assertEquals(ROWS - 50, end.getLong("done"), "done after a first batch of " + first.getLong("done"));
    assertEquals(counts(0, 0, 50, ROWS - 50, 0), stats(R, "t"));
    assertCountersExact("t");
  }

  @Test
  void aCancelledOperationStops() throws Exception {
    startQueues();
    deadLetters("t", "a", "e", ROWS);
    long id = start("t", "purge", new JsonObject()).getLong("operation");
    long done = firstBatch(id).getLong("done");
    JsonObject cancelled = call(R, "bulk-cancel", new JsonObject().put("operation", id));
    assertEquals("cancelled", cancelled.getString("state"));
    assertEquals(done, cancelled.getLong("done"));
    clock.advance(10_000);
    JsonObject after = status(id);
    assertEquals("cancelled", after.getString("state"));
    assertEquals(done, after.getLong("done"));
    assertEquals(ROWS - done, stats(R, "t").getLong("dead"));
    assertCountersExact("t");
    assertCode(409, callFails(R, "bulk-cancel", new JsonObject().put("operation", id)), "cancelled");
    assertEquals("bulk-cancel", audit(R).getJsonObject(0).getString("action"));
    assertEquals(done, audit(R).getJsonObject(0).getLong("affected"));
    JsonArray listed = call(R, "bulk-list", new JsonObject().put("queue", "t")).getJsonArray("operations");
    assertEquals(1, listed.size());
    assertEquals(id, listed.getJsonObject(0).getLong("operation"));
  }

  @Test
  void anOperationResumesAfterARestart() throws Exception {
    var server = startQueues();
    deadLetters("t", "a", "e", ROWS);
    long id = start("t", "purge", new JsonObject()).getLong("operation");
    long done = firstBatch(id).getLong("done");
    assertTrue(done < ROWS);
    stopServer(server);
    startQueues();
    JsonObject end = drive(id);
    assertEquals("done", end.getString("state"));
    assertEquals(ROWS, end.getLong("done"));
    assertEquals(0, stats(R, "t").getLong("dead"));
    assertCountersExact("t");
  }

  @Test
  void badInputIsRefusedAndChangesNothing() throws Exception {
    startQueues();
    deadLetters("t", "a", "e", 10);
    JsonObject before = allStats();
    JsonObject ok = new JsonObject().put("queue", "t").put("op", "purge");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("op", "delete")), "op");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("queue", "nope")), "queue");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("filter", new JsonObject().put("nmae", "a"))), "filter.nmae");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("filter", new JsonObject().put("state", "ready"))), "filter.state");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("op", "cancel").put("filter", new JsonObject().put("state", "dead"))),
        "filter.state");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("filter", new JsonObject().put("from", 5).put("to", 4))), "filter.from");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("filter", new JsonObject().put("ids", new JsonArray().add("x")))),
        "filter.ids[0]");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("filter", "all")), "filter");
    assertCode(400, callFails(R, "bulk-start", ok.copy().put("extra", 1)), "extra");
    assertCode(400, callFails(R, "bulk-status", new JsonObject()), "operation");
    assertCode(404, callFails(R, "bulk-status", new JsonObject().put("operation", 42)), "42");
    assertCode(404, callFails(R, "bulk-cancel", new JsonObject().put("operation", 42)), "42");
    assertEquals(before, allStats());
    assertEquals(0, call(R, "bulk-list", new JsonObject()).getJsonArray("operations").size());
    assertEquals(0, audit(R).size());
  }

  /**
   * PostgreSQL, two instances: the one that started an operation runs it, the other does not
   * (it holds no lease) until the first stops and its lease runs out; then it takes the operation
   * over and finishes it, each row once.
   */
  @Test
  void anotherInstanceTakesOverWhenTheLeaseRunsOut() throws Exception {
    assumeTrue(postgres(), "several instances share only a PostgreSQL database");
    startQueues();
    Bus second = startSecondInstance();
    deadLetters("t", "a", "e", ROWS);
    long id = await(second.send(R, "bulk-start", new JsonObject().put("queue", "t").put("op", "purge"))).getLong("operation");
    Eventually.until("the first batch, on the second instance", () ->
        await(second.send(R, "bulk-status", new JsonObject().put("operation", id))).getLong("done") > 0);
    assertTrue(await(second.send(R, "bulk-status", new JsonObject().put("operation", id))).containsKey("runner"));
    assertFalse(status(id).containsKey("runner"), "the first instance does not run it meanwhile");
    stopSecondNode();
    long done = status(id).getLong("done");
    assertTrue(done < ROWS, "stopped half way: " + done);
    clock.advance(31_000);
    JsonObject end = drive(id);
    assertEquals("done", end.getString("state"));
    assertEquals(ROWS, end.getLong("done"));
    assertTrue(end.containsKey("runner"), "finished by the first instance: " + end);
    assertEquals(0, stats(R, "t").getLong("dead"));
    assertCountersExact("t");
  }
}
