package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.backend.Statements;
import io.piri.db.core.StoreId;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Enqueue (single, atomic batch, delay, payloads) and claim (order, max, isolation); checklist 1, 4–6, 9, 10, 24, 26, 41. */
public abstract class EnqueueClaimTestBase extends QueueTestBase {

  @Test
  void enqueuedJobIsClaimedOnceWithItsFields() throws Exception {
    startQueues();
    JsonObject payload = new JsonObject().put("space", "did:key:z6Mk").put("size", 1234567890123L)
        .put("nested", new JsonObject().put("list", new JsonArray().add(1).add("two").add(true).addNull()));
    long id = enqueue(R, "replication", "transfer-task", payload);
    assertEquals(counts(1, 0, 0, 0, 0), stats(R, "replication"));

    JsonObject job = claimOne(R, "replication");
    assertEquals(id, job.getLong("id"));
    assertEquals("transfer-task", job.getString("name"));
    assertEquals(payload, job.getJsonObject("payload"));
    assertFalse(job.containsKey("payload_base64"), job.encode());
    assertEquals(1, job.getInteger("attempt"));
    assertEquals(10, job.getInteger("max_attempts"));
    long enqueuedAt = job.getLong("enqueued_at");
    assertEquals(clock.now(), enqueuedAt, "enqueued_at is the store's now");
    assertTrue(job.getString("receipt") != null && !job.getString("receipt").isEmpty(), job.encode());
    assertEquals(counts(0, 0, 1, 0, 0), stats(R, "replication"));

    assertEquals(0, claim(R, "replication", 10).size(), "a claimed job is not handed out again during its lease");
    assertEquals(new JsonObject().put("completed", 1), complete(R, "replication", job));
    assertEquals(counts(0, 0, 0, 0, 1), stats(R, "replication"));

    long next = enqueue(R, "replication", "transfer-task", payload);
    assertTrue(next > id, "ids never repeat: " + next + " after " + id);
  }

  @Test
  void jsonAndBinaryPayloadsComeBackAsTheyWent() throws Exception {
    startQueues();
    List<Object> jsons = List.of(
        new JsonObject().put("a", 1).put("b", "x\u00e9\u4e2d\ud83d\ude00").put("c", new JsonArray().add(1.5)),
        new JsonArray().add("x").add(new JsonObject()),
        "just a string",
        42,
        -7.25,
        true);
    Map<Long, Object> byId = new java.util.HashMap<>();
    for (Object p : jsons) byId.put(enqueue(E, "egress-tracker", "egress-track-task", p), p);

    byte[] bytes = new byte[300];
    new Random(7).nextBytes(bytes);
    bytes[0] = 0;
    String b64 = Base64.getEncoder().encodeToString(bytes);
    JsonObject r = call(E, "enqueue", new JsonObject().put("queue", "egress-tracker").put("name", "bin").put("payload_base64", b64));
    long binId = r.getLong("id");
    long emptyId = call(E, "enqueue", new JsonObject().put("queue", "egress-tracker").put("name", "empty").put("payload_base64", ""))
        .getLong("id");

    JsonArray jobs = claim(E, "egress-tracker", 100);
    assertEquals(jsons.size() + 2, jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      JsonObject j = jobs.getJsonObject(i);
      long id = j.getLong("id");
      if (id == binId) {
        assertEquals(b64, j.getString("payload_base64"));
        assertFalse(j.containsKey("payload"), j.encode());
      } else if (id == emptyId) {
        assertEquals("", j.getString("payload_base64"));
      } else {
        Object expected = byId.get(id);
        Object got = j.getValue("payload");
        if (expected instanceof Number n) {
          assertEquals(n.doubleValue(), ((Number) got).doubleValue(), 0.0, "payload of " + id);
        } else {
          assertEquals(expected, got, "payload of " + id);
        }
        assertFalse(j.containsKey("payload_base64"), j.encode());
      }
    }
  }

  @Test
  void batchEnqueuesEveryJobInOrder() throws Exception {
    startQueues();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 5; i++) batch.add(job("n" + i, new JsonObject().put("i", i)));
    batch.add(new JsonObject().put("name", "bin").put("payload_base64", "AAEC"));
    JsonObject r = call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch));
    JsonArray ids = r.getJsonArray("ids");
    assertEquals(6, ids.size());
    assertEquals(6, r.getJsonArray("duplicates").size());
    for (int i = 0; i < 6; i++) {
      assertEquals(false, r.getJsonArray("duplicates").getBoolean(i));
      if (i > 0) assertTrue(ids.getLong(i) > ids.getLong(i - 1), "ids ascend in batch order: " + ids.encode());
    }
    JsonArray jobs = claim(R, "t", 1000);
    assertEquals(ids.getList(), ids(jobs));
    for (int i = 0; i < 5; i++) {
      assertEquals("n" + i, jobs.getJsonObject(i).getString("name"));
      assertEquals(new JsonObject().put("i", i), jobs.getJsonObject(i).getJsonObject("payload"));
    }
    assertEquals("AAEC", jobs.getJsonObject(5).getString("payload_base64"));
  }

  @Test
  void batchWithOneBadJobEnqueuesNothing() throws Exception {
    startQueues();
    JsonObject before = allStats();
    for (JsonObject bad : List.of(
        new JsonObject().put("payload", 1),
        job("x", 1).put("delay_ms", -1),
        new JsonObject().put("name", "x").put("payload_base64", "%%%"),
        job("x", 1).put("payload_base64", "AA=="),
        job("x", 1).put("colour", "red"))) {
      JsonArray batch = new JsonArray().add(job("ok", 1)).add(job("ok", 2)).add(bad).add(job("ok", 3));
      ReplyException e = callFails(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch));
      assertCode(400, e, "jobs[2]");
    }
    assertEquals(before, allStats(), "nothing was enqueued");
    assertEquals(0, claim(R, "t", 1000).size());
  }

  @Test
  void delayedJobIsInvisibleUntilDue() throws Exception {
    startQueues();
    long id = call(R, "enqueue", enqueueBody("t", "later", 1).put("delay_ms", 400)).getLong("id");
    assertEquals(0, claim(R, "t", 10).size(), "not claimable before its delay");
    assertEquals(counts(0, 1, 0, 0, 0), stats(R, "t"));
    clock.advance(399);
    assertEquals(0, claim(R, "t", 10).size(), "still not, 1 ms before");
    clock.advance(1);
    JsonArray got = claim(R, "t", 10);
    assertEquals(List.of(id), ids(got), "claimable once its delay is over");
    assertEquals(1, got.getJsonObject(0).getInteger("attempt"));
  }

  @Test
  void claimOrderIsDueTimeThenId() throws Exception {
    startQueues();
    long late = call(R, "enqueue", enqueueBody("t", "late", 0).put("delay_ms", 500)).getLong("id");
    long mid = call(R, "enqueue", enqueueBody("t", "mid", 0).put("delay_ms", 250)).getLong("id");
    // One batch: one enqueue time, so equal due times, ordered by id.
    JsonArray batch = new JsonArray().add(job("b0", 0)).add(job("b1", 0)).add(job("b2", 0));
    List<Object> batchIds = call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch))
        .getJsonArray("ids").getList();
    long last = enqueue(R, "t", "now", 0);
    clock.advance(500);
    List<Long> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) order.add(claimOne(R, "t").getLong("id"));
    List<Long> expected = new ArrayList<>();
    batchIds.forEach(o -> expected.add(((Number) o).longValue()));
    expected.add(last);
    expected.add(mid);
    expected.add(late);
    assertEquals(expected, order, "batch (same due time, by id), then the undelayed job, then by delay");
    assertEquals(0, claim(R, "t", 10).size());
  }

  @Test
  void claimTakesAtMostMaxOldestFirst() throws Exception {
    startQueues();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 7; i++) batch.add(job("j", i));
    List<Object> ids = call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch)).getJsonArray("ids").getList();
    JsonArray one = call(R, "claim", new JsonObject().put("queue", "t")).getJsonArray("jobs");
    assertEquals(1, one.size(), "max defaults to 1");
    assertEquals(((Number) ids.get(0)).longValue(), one.getJsonObject(0).getLong("id"));
    JsonArray three = claim(R, "t", 3);
    assertEquals(List.of(ids.get(1), ids.get(2), ids.get(3)).stream().map(o -> ((Number) o).longValue()).toList(), ids(three));
    JsonArray rest = claim(R, "t", 1000);
    assertEquals(3, rest.size());
    assertEquals(0, claim(R, "t", 1000).size());
    HashSet<String> receipts = new HashSet<>();
    for (JsonArray a : List.of(one, three, rest)) {
      for (int i = 0; i < a.size(); i++) receipts.add(a.getJsonObject(i).getString("receipt"));
    }
    assertEquals(7, receipts.size(), "every claimed job has its own receipt");
    assertEquals(counts(0, 0, 7, 0, 0), stats(R, "t"));
  }

  @Test
  void queuesAreIsolated() throws Exception {
    startQueues();
    long id = enqueue(R, "t", "a", 1);
    long commp = enqueue(A, "compute_commp", "compute_commp", "x");
    assertEquals(0, claim(R, "t-other", 10).size());
    assertEquals(0, claim(R, "replication", 10).size());
    assertEquals(0, claim(A, "manager", 10).size());
    assertEquals(0, claim(A, "aggregator", 10).size());
    assertEquals(counts(0, 0, 0, 0, 0), stats(R, "t-other"));
    assertEquals(counts(1, 0, 0, 0, 0), stats(R, "t"));
    assertEquals(List.of(id), ids(claim(R, "t", 10)));
    assertEquals(List.of(commp), ids(claim(A, "compute_commp", 10)));
    // A job of one queue cannot be touched through another queue of the same store.
    ReplyException e = callFails(R, "extend", new JsonObject().put("queue", "t-other").put("id", id)
        .put("receipt", "whatever").put("lease_ms", 1000));
    assertCode(404, e, String.valueOf(id));
  }

  @Test
  void claimOnAnEmptyQueueAnswersAtOnce() throws Exception {
    startQueues();
    // The clock stands still: a claim that waited for anything would never be answered.
    assertEquals(0, claim(R, "replication", 1000).size());
    assertEquals(0, call(R, "claim", claimBody("t", 5).put("wait_ms", 0)).getJsonArray("jobs").size());
    // Only a delayed job: still nothing, still at once.
    call(R, "enqueue", enqueueBody("t", "later", 1).put("delay_ms", 60_000));
    assertEquals(0, claim(R, "t", 5).size());
  }

  /**
   * A batched complete reads its (id, receipt) items once and probes the primary key per item: a
   * subquery run per deleted row, reading the items again, made a batch cost the square of its size.
   */
  @Test
  void aBatchedCompleteReadsItsItemsOnce() throws Exception {
    startQueues();
    String sql = Statements.load(backend().type().id(), "queue").get("complete-many");
    String plan = String.join("\n", plan(sql, "('t', '[]')"));
    assertFalse(plan.contains("CORRELATED"), "SQLite runs no subquery per row:\n" + plan);
    assertFalse(Pattern.compile("(?<!hashed )SubPlan").matcher(plan).find(), "PostgreSQL runs no subplan per row:\n" + plan);
    assertTrue(plan.contains("PRIMARY KEY") || plan.contains("job_pkey"), "the job is found by its key:\n" + plan);
  }

  /**
   * A queue that grew from nothing since PostgreSQL last sampled the table (a backlog after an
   * outage) is estimated at one row, and then any index that starts with the queue looks as good
   * as the state index: a plan that read the queue by such an index and sorted all of its jobs cost
   * each claim a walk of the whole backlog (seen at a million jobs: about a second a claim, with
   * the search indexes on name and enqueue time). Here a plain index on the queue stands for them,
   * as it is the cheapest of all to read. The claim reads the state index in due order whatever
   * the statistics say. SQLite keeps no statistics; its plan is checked alike.
   */
  @Test
  void aClaimOnAQueueTheStatisticsHaveNotSeenWalksTheStateIndex() throws Exception {
    startQueues();
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < 1_000; i++) jobs.add(job("j", i));
    call(R, "enqueue-batch", new JsonObject().put("queue", "t-other").put("jobs", jobs));
    if (postgres()) {
      try (Connection c = backend().connect(config, R); Statement st = c.createStatement()) {
        st.execute("ALTER TABLE job SET (autovacuum_enabled = off)");
        st.execute("CREATE INDEX job_queue_only ON job (queue)");
        st.execute("ANALYZE job");
      }
    }
    call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", jobs));
    String claim = Statements.load(backend().type().id(), "queue").get("claim");
    String plan = String.join("\n", plan(claim, "('t', " + clock.now() + ", 64, 0, 'ready')", "SET plan_cache_mode = force_custom_plan"));
    if (postgres()) {
      assertTrue(plan.contains("Index Scan using job_state on job"), plan);
      assertFalse(plan.contains("Sort"), "no sort of the queue's jobs:\n" + plan);
    } else {
      assertTrue(plan.contains("USING INDEX job_state"), plan);
      assertFalse(plan.contains("TEMP B-TREE"), "no sort of the queue's jobs:\n" + plan);
    }
  }

  @Test
  void piriQueuesAreBuiltIn() throws Exception {
    startQueues();
    Map<StoreId, Map<String, Integer>> expected = Map.of(
        R, Map.of("replication", 10),
        E, Map.of("egress-tracker", 10),
        A, Map.of("aggregator", 50, "compute_commp", 50, "manager", 50));
    for (Map.Entry<StoreId, Map<String, Integer>> store : expected.entrySet()) {
      JsonObject queues = call(store.getKey(), "stats", null).getJsonObject("queues");
      for (Map.Entry<String, Integer> q : store.getValue().entrySet()) {
        assertTrue(queues.containsKey(q.getKey()), store.getKey().id() + " holds " + q.getKey() + ": " + queues.encode());
        enqueue(store.getKey(), q.getKey(), "probe", 1);
        JsonObject job = claimOne(store.getKey(), q.getKey());
        assertEquals(q.getValue(), job.getInteger("max_attempts"), q.getKey() + " max_attempts");
        complete(store.getKey(), q.getKey(), job);
      }
    }
    // Piri's queues of one store are not served by another store.
    for (StoreId other : List.of(R, E)) {
      assertCode(400, callFails(other, "enqueue", enqueueBody("aggregator", "x", 1)), "queue");
    }
  }
}
