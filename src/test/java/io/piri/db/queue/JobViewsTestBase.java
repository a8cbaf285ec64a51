package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.bus.ChangeEvents;
import io.piri.db.core.StoreId;
import io.piri.db.support.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operators' views of jobs: jobs-page pages each state by key in the state's own order and
 * refuses a cursor no page gave; job-get shows a live or dead-lettered job; job-deliveries tells
 * every delivery of a job, recorded as each ends, and the recording leaves the counters exact and
 * nothing behind when the job goes; a queue's changes reach {@code piri.db.events}, gathered.
 */
public abstract class JobViewsTestBase extends QueueTestBase {
  /** {@code three} (replicator): lease 300ms, max_attempts 3, backoff 50ms..100ms. */
  @Override
  protected JsonObject testQueues() {
    return super.testQueues().put("three", queue("replicator", "300ms", 3).put("backoff_base", "50ms").put("backoff_max", "100ms"));
  }

  private JsonObject page(StoreId store, String queue, String state, int limit, String after) throws Exception {
    JsonObject body = new JsonObject().put("queue", queue).put("state", state).put("limit", limit);
    if (after != null) body.put("after", after);
    return call(store, "jobs-page", body);
  }

  /** Every job of one state, page by page; asserts that only the last page has no next cursor. */
  private List<Long> everyPage(StoreId store, String queue, String state, int limit) throws Exception {
    List<Long> out = new ArrayList<>();
    String after = null;
    while (true) {
      JsonObject p = page(store, queue, state, limit, after);
      JsonArray jobs = p.getJsonArray("jobs");
      out.addAll(ids(jobs));
      after = p.getString("next");
      if (after == null) return out;
      assertEquals(limit, jobs.size(), "a page with a next cursor is full");
    }
  }

  private JsonObject job(StoreId store, String queue, long id) throws Exception {
    return call(store, "job-get", new JsonObject().put("queue", queue).put("id", id)).getJsonObject("job");
  }

  private JsonArray deliveries(String queue, long id) throws Exception {
    JsonObject r = call(R, "job-deliveries", new JsonObject().put("queue", queue).put("id", id).put("limit", 1000));
    assertNull(r.getValue("next"));
    return r.getJsonArray("deliveries");
  }

  private static List<String> outcomes(JsonArray deliveries) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < deliveries.size(); i++) {
      JsonObject d = deliveries.getJsonObject(i);
      assertEquals(i + 1, d.getInteger("attempt"), d.encode());
      out.add(d.getString("outcome"));
    }
    return out;
  }

  private FullCount full() {
    return new FullCount(config.backend(), config.dataDir(), config.postgres().url());
  }

  @Test
  void pagesVisitEachJobOnceInTheStatesOrderAndTheLastPageHasNoNext() throws Exception {
    startQueues();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 21; i++) batch.add(job("r" + i, i));
    List<Long> ready = ids(new JsonArray(call(R, "enqueue-batch", new JsonObject().put("queue", "slow").put("jobs", batch))
        .getJsonArray("ids").stream().map(id -> new JsonObject().put("id", id)).toList()));
    List<Long> scheduled = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      // Delays that fall as ids rise: due-time order is not id order.
      long id = call(R, "enqueue", enqueueBody("slow", "s" + i, i).put("delay_ms", 100_000 - i * 1000)).getLong("id");
      scheduled.add(0, id);
    }
    assertEquals(ready, everyPage(R, "slow", "ready", 7), "claim order, three full pages");
    assertEquals(ready, everyPage(R, "slow", "ready", 5), "claim order, the last page short");
    assertEquals(ready, everyPage(R, "slow", "ready", 1000));
    assertEquals(scheduled, everyPage(R, "slow", "scheduled", 3), "due-time order");

    List<Long> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonArray got = call(R, "claim", claimBody("slow", 1).put("lease_ms", 60_000 - i * 1000)).getJsonArray("jobs");
      running.add(0, got.getJsonObject(0).getLong("id"));
    }
    assertEquals(running, everyPage(R, "slow", "running", 3), "lease-end order");
    JsonObject first = page(R, "slow", "running", 1, null).getJsonArray("jobs").getJsonObject(0);
    assertNotNull(first.getLong("lease_until"));
    assertNull(first.getValue("run_at"));
    assertEquals(ready.subList(4, 21), everyPage(R, "slow", "ready", 4), "claimed jobs left the ready pages");
    assertEquals(List.of(), everyPage(R, "t", "ready", 10));
  }

  @Test
  void aCursorNoPageGaveIsRefusedNamingAfter() throws Exception {
    startQueues();
    enqueue(R, "t", "j", 1);
    for (Object bad : List.of("nope", "1:", ":1", "1:2:3", "99999999999999999999:1", "1: 2", "", 5)) {
      assertCode(400, callFails(R, "jobs-page", new JsonObject().put("queue", "t").put("state", "ready").put("limit", 10).put("after", bad)),
          "'after'");
    }
    assertCode(400, callFails(R, "jobs-page", new JsonObject().put("queue", "t").put("state", "dead").put("limit", 10)), "'state'");
    assertCode(400, callFails(R, "jobs-page", new JsonObject().put("queue", "t").put("state", "ready").put("limit", 1001)), "'limit'");
    assertCode(400, callFails(R, "jobs-page", new JsonObject().put("queue", "nope").put("state", "ready")), "'queue'");
    assertCode(400, callFails(R, "job-deliveries", new JsonObject().put("queue", "t").put("id", 1).put("after", "x")), "'after'");
    assertEquals(1, page(R, "t", "ready", 10, null).getJsonArray("jobs").size());
  }

  @Test
  void jobGetShowsReadyRunningAndDeadJobsAnd404ForOthers() throws Exception {
    startQueues();
    long ready = enqueue(R, "t", "ready-one", new JsonObject().put("k", "v"));
    JsonObject r = job(R, "t", ready);
    assertEquals("ready", r.getString("state"));
    assertEquals(new JsonObject().put("k", "v"), r.getJsonObject("payload"));
    assertEquals(0, r.getInteger("attempts"));
    assertEquals(2, r.getInteger("max_attempts"));
    assertNotNull(r.getLong("run_at"));
    assertNull(r.getValue("dedupe_key"));

    byte[] bytes = {0, 1, 2, (byte) 255};
    long binary = call(R, "enqueue", new JsonObject().put("queue", "slow").put("name", "b")
        .put("payload_base64", Base64.getEncoder().encodeToString(bytes))).getLong("id");
    JsonObject claimed = claimOne(R, "slow");
    long leaseStart = clock.now();
    clock.advance(10);
    call(R, "extend", held("slow", claimed).put("lease_ms", 5_000));
    JsonObject running = job(R, "slow", binary);
    assertEquals("running", running.getString("state"));
    assertEquals(Base64.getEncoder().encodeToString(bytes), running.getString("payload_base64"));
    assertEquals(leaseStart, running.getLong("lease_start"));
    assertEquals(clock.now() + 5_000, running.getLong("lease_until"));
    assertEquals(1, running.getInteger("extends"));
    assertEquals(1, running.getInteger("attempts"));

    call(A, "enqueue", enqueueBody("dd", "d", 1).put("dedupe_key", "key-1"));
    JsonObject dd = claimOne(A, "dd");
    call(A, "fail", held("dd", dd).put("error", "broken for good").put("permanent", true));
    JsonObject dead = job(A, "dd", dd.getLong("id"));
    assertEquals("dead", dead.getString("state"));
    assertEquals("permanent_error", dead.getString("reason"));
    assertEquals("broken for good", dead.getString("error"));
    assertEquals(1, dead.getInteger("payload"));
    assertEquals(deadList(A, "dd").getJsonObject(0).getLong("id"), dead.getLong("dead_id"));
    assertEquals(64, dead.getString("dedupe_key").length(), "the key's SHA-256, in hex");
    assertNotNull(dead.getLong("failed_at"));

    assertCode(404, callFails(R, "job-get", new JsonObject().put("queue", "t").put("id", 999_999)), "999999");
    assertCode(404, callFails(R, "job-get", new JsonObject().put("queue", "t-other").put("id", ready)), "t-other");
    assertCode(404, callFails(R, "job-deliveries", new JsonObject().put("queue", "t").put("id", 999_999)), "999999");
  }

  @Test
  void twoFailedDeliveriesAndADeadLetterByLeaseExpiry() throws Exception {
    startQueues();
    long id = enqueue(R, "three", "j", 1);
    long start1 = clock.now();
    JsonObject first = claimOne(R, "three");
    clock.advance(20);
    call(R, "extend", held("three", first).put("lease_ms", 300));
    clock.advance(10);
    fail(R, "three", first, "first error");
    long failedAt1 = clock.now();
    clock.advance(200);
    long start2 = clock.now();
    JsonObject second = claimOne(R, "three");
    assertEquals(2, second.getInteger("attempt"));
    clock.advance(5);
    fail(R, "three", second, "second error");
    clock.advance(200);
    long start3 = clock.now();
    JsonObject third = claimOne(R, "three");

    JsonArray d = deliveries("three", id);
    assertEquals(List.of("failed", "failed", "running"), outcomes(d));
    assertEquals(new JsonObject().put("attempt", 1).put("lease_start", start1).put("lease_end", failedAt1).put("extends", 1)
        .put("outcome", "failed").put("error", "first error"), d.getJsonObject(0));
    assertEquals(start2, d.getJsonObject(1).getLong("lease_start"));
    assertEquals("second error", d.getJsonObject(1).getString("error"));
    assertEquals(0, d.getJsonObject(1).getInteger("extends"));
    assertEquals(start3, d.getJsonObject(2).getLong("lease_start"));
    assertEquals(third.getLong("visible_at"), d.getJsonObject(2).getLong("lease_end"));

    JsonObject p1 = call(R, "job-deliveries", new JsonObject().put("queue", "three").put("id", id).put("limit", 2));
    assertEquals(2, p1.getJsonArray("deliveries").size());
    JsonObject p2 = call(R, "job-deliveries", new JsonObject().put("queue", "three").put("id", id).put("limit", 2)
        .put("after", p1.getString("next")));
    assertEquals(List.of(3), p2.getJsonArray("deliveries").stream().map(o -> ((JsonObject) o).getInteger("attempt")).toList());
    assertNull(p2.getValue("next"));

    // The last lease runs out: the store dead-letters the job (reason max_attempts).
    clock.advance(301);
    Eventually.until("the reaper dead-letters the job", () -> stats(R, "three").getLong("dead") == 1);
    JsonObject dead = job(R, "three", id);
    assertEquals("dead", dead.getString("state"));
    assertEquals("max_attempts", dead.getString("reason"));
    d = deliveries("three", id);
    assertEquals(List.of("failed", "failed", "dead_lettered"), outcomes(d));
    assertEquals(third.getLong("visible_at"), d.getJsonObject(2).getLong("lease_end"));
    assertEquals("lease expired on the last attempt", d.getJsonObject(2).getString("error"));
    assertEquals(0, full().orphanDeliveries(R));
  }

  @Test
  void aLeaseThatRanOutIsADeliveryOfItsOwnWhoeverNoticesIt() throws Exception {
    startQueues();
    // Noticed by a claim that takes the job again.
    long byClaim = enqueue(R, "slow", "a", 1);
    claimOne(R, "slow");
    clock.advance(300);
    JsonObject again = claimOne(R, "slow");
    assertEquals(byClaim, again.getLong("id"));
    assertEquals(List.of("lease_expired", "running"), outcomes(deliveries("slow", byClaim)));
    complete(R, "slow", again);

    // Noticed by the due-time pass; the late holder extends it and its delivery goes on.
    long byPass = enqueue(R, "slow", "b", 2);
    JsonObject held = claimOne(R, "slow");
    clock.advance(300);
    Eventually.until("the pass makes the job ready", () -> stats(R, "slow").getLong("ready") == 1);
    assertEquals("ready", job(R, "slow", byPass).getString("state"));
    assertEquals(List.of("lease_expired"), outcomes(deliveries("slow", byPass)));
    call(R, "extend", held("slow", held).put("lease_ms", 1_000));
    JsonArray d = deliveries("slow", byPass);
    assertEquals(List.of("running"), outcomes(d));
    assertEquals(1, d.getJsonObject(0).getInteger("extends"));

    // The late holder of a lease the pass made ready completes it: nothing is left of the job.
    clock.advance(1_000);
    Eventually.until("the pass makes the job ready", () -> stats(R, "slow").getLong("ready") == 1);
    complete(R, "slow", held);
    assertCode(404, callFails(R, "job-deliveries", new JsonObject().put("queue", "slow").put("id", byPass)), null);
    assertEquals(0, full().orphanDeliveries(R));
    assertEquals(counts(0, 0, 0, 0, 2), stats(R, "slow"));
  }

  @Test
  void countersStayExactAndDeliveriesGoWithTheirJobs() throws Exception {
    startQueues();
    // A job completed after a failed delivery, through each kind of complete.
    for (String how : List.of("single", "items", "dedupe")) {
      String queue = how.equals("dedupe") ? "dd" : "t";
      StoreId store = how.equals("dedupe") ? A : R;
      call(store, "enqueue", enqueueBody(queue, how, how));
      JsonObject c = claimOne(store, queue);
      call(store, "fail", held(queue, c).put("error", "once").put("retry_in_ms", 0));
      JsonObject c2 = claimOne(store, queue);
      if (how.equals("items")) {
        call(store, "complete", new JsonObject().put("queue", queue).put("items", new JsonArray().add(
            new JsonObject().put("id", c2.getLong("id")).put("receipt", c2.getString("receipt")))));
      } else {
        complete(store, queue, c2);
      }
    }
    // Dead letters with deliveries, requeued and purged.
    for (int i = 0; i < 3; i++) enqueue(E, "once", "x" + i, i);
    for (Object o : claim(E, "once", 3)) call(E, "fail", held("once", (JsonObject) o).put("error", "no"));
    JsonArray dead = deadList(E, "once");
    assertEquals(3, dead.size());
    assertEquals(1, deliveries(E, "once", dead.getJsonObject(0).getLong("job_id")).size());
    call(E, "dead-requeue", new JsonObject().put("queue", "once").put("ids", new JsonArray().add(dead.getJsonObject(0).getLong("id"))));
    call(E, "dead-purge", new JsonObject().put("queue", "once").put("all", true));

    for (StoreId s : List.of(R, A, E)) {
      assertEquals(0, full().orphanDeliveries(s), s.id());
      Map<String, JsonObject> counted = full().byState(s);
      JsonObject stats = call(s, "stats", new JsonObject()).getJsonObject("queues");
      for (Map.Entry<String, JsonObject> e : counted.entrySet()) {
        JsonObject shown = stats.getJsonObject(e.getKey()).copy();
        shown.remove("done");
        shown.remove("paused");
        assertEquals(e.getValue(), shown, s.id() + " " + e.getKey());
      }
    }
    assertEquals(2, stats(R, "t").getLong("done"));
    assertEquals(1, stats(A, "dd").getLong("done"));
  }

  private JsonArray deliveries(StoreId store, String queue, long id) throws Exception {
    return call(store, "job-deliveries", new JsonObject().put("queue", queue).put("id", id)).getJsonArray("deliveries");
  }

  @Test
  void aQueuesChangesReachTheEventAddressGatheredAndAClaimOfNothingSendsNone() throws Exception {
    startQueues();
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    vertx.eventBus().<JsonObject>consumer(ChangeEvents.ADDRESS, m -> events.add(m.body())).completion().await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 5; i++) enqueue(R, "t", "j", i);
    assertNull(events.poll(), "changes wait for the interval");
    clock.advance(QueueChanges.INTERVAL_MS);
    assertEquals(new JsonObject().put("store", "replicator").put("queue", "t"), events.poll(10, TimeUnit.SECONDS));

    claim(R, "t-other", 1);
    enqueue(R, "slow", "j", 1);
    clock.advance(QueueChanges.INTERVAL_MS);
    // Events of one store leave in order: had the empty claim sent one, it would come first.
    assertEquals(new JsonObject().put("store", "replicator").put("queue", "slow"), events.poll(10, TimeUnit.SECONDS));
    assertNull(events.poll(), "five enqueues in one interval, one event");
  }
}
