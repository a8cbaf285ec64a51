package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The counters stats reads are exact: after every kind of change a job can go through (enqueues
 * single, coalesced, batched and delayed; claims; completions single, by items and coalesced;
 * retries, permanent failures and last attempts; extends; delays and leases running out; reaps;
 * dead-letter requeues and purges), each queue's stats equal its jobs counted one by one from the
 * tables by the state each row holds, and done equals the completions acknowledged. Once stats has
 * answered, nothing this instance knows to be due is left unwritten.
 */
public abstract class CountersTestBase extends QueueTestBase {
  private static final List<StoreId> STORES = List.of(R, A, E);
  private final Map<String, AtomicLong> done = new ConcurrentHashMap<>();

  private FullCount full() {
    return new FullCount(config.backend(), config.dataDir(), config.postgres().url());
  }

  private void completed(String queue, long n) {
    done.computeIfAbsent(queue, q -> new AtomicLong()).addAndGet(n);
  }

  /**
   * Through each instance, every queue of every queue store: stats equal the full count, and done
   * the completions acknowledged; with {@code nothingDue}, no job is left whose state time has
   * changed by now.
   */
  private void assertExact(List<Bus> instances, boolean nothingDue) throws Exception {
    FullCount full = full();
    for (StoreId store : STORES) {
      for (Bus bus : instances) {
        JsonObject stats = await(bus.send(store, "stats", new JsonObject())).getJsonObject("queues");
        Map<String, JsonObject> counted = full.byState(store);
        assertTrue(stats.fieldNames().containsAll(counted.keySet()), counted.keySet() + " in " + stats.fieldNames());
        for (String q : stats.fieldNames()) {
          JsonObject expected = counted.getOrDefault(q, counts(0, 0, 0, 0, 0)).copy()
              .put("done", done.getOrDefault(q, new AtomicLong()).get()).put("paused", false);
          assertEquals(expected, stats.getJsonObject(q), store.id() + " queue " + q + ": stats against the rows counted one by one");
        }
      }
      if (nothingDue) assertEquals(0, full.overdue(store, clock.now()), store.id() + ": jobs whose due change is not written");
    }
  }

  private void assertExact() throws Exception {
    assertExact(List.of(local()), true);
  }

  private static void awaitAll(List<? extends Future<?>> futures) throws Exception {
    Future.all(futures).await(60, TimeUnit.SECONDS);
  }

  private static JsonObject items(String queue, List<JsonObject> jobs) {
    JsonArray items = new JsonArray();
    for (JsonObject j : jobs) items.add(new JsonObject().put("id", j.getLong("id")).put("receipt", j.getString("receipt")));
    return new JsonObject().put("queue", queue).put("items", items);
  }

  private static List<JsonObject> list(JsonArray jobs) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) out.add(jobs.getJsonObject(i));
    return out;
  }

  @Test
  void countersEqualAFullCountThroughEveryKindOfChange() throws Exception {
    startQueues();
    assertExact();

    // Enqueues: single, together (coalesced into one statement), a batch with delays, delayed,
    // and on the dedupe queue with duplicates.
    for (int i = 0; i < 3; i++) enqueue(R, "t", "single", i);
    List<Future<JsonObject>> together = new ArrayList<>();
    for (int i = 0; i < 40; i++) together.add(request(R, "enqueue", enqueueBody("t", "together", i)));
    awaitAll(together);
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 12; i++) batch.add(job("b", i).put("delay_ms", new long[] {0, 500, 2_000}[i % 3]));
    call(R, "enqueue-batch", new JsonObject().put("queue", "slow").put("jobs", batch));
    call(R, "enqueue", enqueueBody("t", "later", 1).put("delay_ms", 700));
    for (int i = 0; i < 4; i++) call(A, "enqueue", enqueueBody("dd", "d", i % 2));
    call(A, "enqueue-batch", new JsonObject().put("queue", "dd").put("jobs", new JsonArray()
        .add(job("d", 0)).add(job("d", 5)).add(job("d", 6).put("delay_ms", 500))));
    for (int i = 0; i < 3; i++) enqueue(E, "once", "o", i);
    assertExact();

    // Claims (leases of 300 ms).
    List<JsonObject> t = list(claim(R, "t", 20));
    List<JsonObject> slow = list(claim(R, "slow", 10));
    List<JsonObject> once = list(claim(E, "once", 3));
    List<JsonObject> dd = list(claim(A, "dd", 2));
    assertEquals(List.of(20, 4, 3, 2), List.of(t.size(), slow.size(), once.size(), dd.size()));
    assertExact();

    // Completions: single, by items (one of them stale), coalesced, and on the dedupe queue.
    complete(R, "t", t.get(0));
    JsonObject byItems = items("t", t.subList(0, 6));
    assertEquals(5, call(R, "complete", byItems).getInteger("completed"));
    List<Future<JsonObject>> singles = new ArrayList<>();
    for (JsonObject j : t.subList(6, 16)) singles.add(request(R, "complete", held("t", j)));
    awaitAll(singles);
    completed("t", 16);
    complete(A, "dd", dd.get(0));
    assertEquals(1, call(A, "complete", items("dd", dd.subList(1, 2))).getInteger("completed"));
    completed("dd", 2);
    complete(E, "once", once.get(0));
    completed("once", 1);
    assertExact();

    // Failures: retried later, retried at once, permanent, with the queue's backoff.
    assertEquals("scheduled", call(R, "fail", held("t", t.get(16)).put("error", "e").put("retry_in_ms", 400)).getString("state"));
    assertEquals("scheduled", call(R, "fail", held("t", t.get(17)).put("error", "e").put("retry_in_ms", 0)).getString("state"));
    assertEquals("dead", call(R, "fail", held("t", t.get(18)).put("error", "e").put("permanent", true)).getString("state"));
    assertEquals("scheduled", fail(R, "slow", slow.get(0), "e").getString("state"));
    assertEquals("dead", call(R, "fail", held("slow", slow.get(1)).put("error", "e").put("permanent", true)).getString("state"));
    call(R, "extend", held("t", t.get(19)).put("lease_ms", 5_000));
    assertExact();

    // Leases run out: ready again, or dead-lettered on the last attempt (once: max_attempts 1).
    clock.advance(301);
    assertExact();
    // A job whose lease ran out and was made ready, extended with its receipt: running again.
    call(R, "extend", held("slow", slow.get(2)).put("lease_ms", 300));
    assertExact();

    // Retries, delays and the extended lease come due.
    clock.advance(400);
    assertExact();
    List<JsonObject> again = list(claim(R, "t", 1000));
    List<JsonObject> lastAttempts = again.stream().filter(j -> j.getInteger("attempt") == 2).toList();
    assertEquals(2, lastAttempts.size(), "both retried jobs are claimed again: " + again);
    assertEquals("dead", fail(R, "t", lastAttempts.get(0), "last").getString("state"), "a failed last attempt is a dead letter");
    // The other last attempt is left to run out: the reaper takes it.
    List<JsonObject> rest = again.stream().filter(j -> j.getInteger("attempt") == 1).toList();
    assertEquals(rest.size(), call(R, "complete", items("t", rest)).getInteger("completed"));
    completed("t", rest.size());
    List<JsonObject> slowAgain = list(claim(R, "slow", 1000));
    assertTrue(slowAgain.size() >= 4, "delayed, retried and expired jobs of slow: " + slowAgain.size());
    assertExact();
    clock.advance(301);
    assertExact();

    // Dead letters: requeued by id and all, purged.
    JsonArray deadT = deadList(R, "t");
    assertTrue(deadT.size() >= 2, deadT.encode());
    assertEquals(1, call(R, "dead-requeue", new JsonObject().put("queue", "t")
        .put("ids", new JsonArray().add(deadT.getJsonObject(0).getLong("id")))).getInteger("requeued"));
    assertExact();
    call(R, "dead-requeue", new JsonObject().put("queue", "slow").put("all", true));
    call(E, "dead-purge", new JsonObject().put("queue", "once").put("ids", new JsonArray().add(deadList(E, "once").getJsonObject(0).getLong("id"))));
    call(R, "dead-purge", new JsonObject().put("queue", "t").put("all", true));
    assertExact();

    // Everything left comes due and is completed.
    clock.advance(5_000);
    for (StoreId store : STORES) {
      JsonObject queues = call(store, "stats", new JsonObject()).getJsonObject("queues");
      for (String q : queues.fieldNames()) {
        List<JsonObject> jobs = list(call(store, "claim", claimBody(q, 1000).put("lease_ms", 60_000)).getJsonArray("jobs"));
        if (jobs.isEmpty()) continue;
        assertEquals(jobs.size(), call(store, "complete", items(q, jobs)).getInteger("completed"));
        completed(q, jobs.size());
      }
    }
    assertExact();
    for (String q : List.of("t", "slow", "dd", "once")) {
      JsonObject s = stats(q.equals("dd") ? A : q.equals("once") ? E : R, q);
      assertEquals(0, s.getLong("ready") + s.getLong("scheduled") + s.getLong("running"), q + " is empty: " + s);
    }
  }

  /**
   * An instance whose claims wait on a queue learns the lease ends of jobs another instance handed
   * out, and writes them when they come: here the other instance stops before the lease of a
   * last attempt ends, and this one dead-letters the job. (One instance alone cannot lose a
   * due time it wrote; a second needs PostgreSQL.)
   */
  @Test
  void aLeaseHandedOutByAnInstanceThatStoppedIsWrittenByOneWhoseClaimsWait() throws Exception {
    if (!postgres()) return;
    startQueues();
    Bus second = startSecondInstance();
    enqueue(E, "once", "j", 1);
    long start = clock.now();
    assertEquals(1, await(second.send(E, "claim", claimBody("once", 1))).getJsonArray("jobs").size());
    stopSecondNode();
    Future<JsonObject> waiting = waitingClaim(local(), E, claimBody("once", 1).put("wait_ms", 10_000));
    // The waiting claim's timer and the due-time timer, both at the lease's end.
    clock.awaitTimers(d -> d == start + 301, 2);
    clock.advance(301);
    assertEquals(counts(0, 0, 0, 1, 0), stats(E, "once"), "the last attempt's lease ran out: a dead letter");
    assertEquals("max_attempts", deadList(E, "once").getJsonObject(0).getString("reason"));
    assertTrue(!waiting.isComplete(), "nothing claimable came of it");
  }

  /**
   * Many claimers at once, each enqueueing, claiming and completing or failing what it got; on
   * PostgreSQL spread over two instances on the same database.
   */
  @Test
  void countersStayExactUnderConcurrentWritersAndInstances() throws Exception {
    startQueues();
    List<Bus> instances = new ArrayList<>();
    instances.add(local());
    if (postgres()) instances.add(startSecondInstance());
    List<Future<Void>> workers = new ArrayList<>();
    for (Bus bus : instances) {
      for (int w = 0; w < 4; w++) {
        Future<Void> chain = Future.succeededFuture();
        for (int r = 0; r < 8; r++) chain = chain.compose(v -> round(bus));
        workers.add(chain);
      }
    }
    Future.all(workers).await(120, TimeUnit.SECONDS);
    assertTrue(done.getOrDefault("t", new AtomicLong()).get() > 0, "some jobs completed");
    assertExact(instances, true);
  }

  /** One round of one claimer: enqueue a batch and some singles, claim, then handle each job one way. */
  private Future<Void> round(Bus bus) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 10; i++) batch.add(job("b", i).put("delay_ms", i == 0 ? 60_000 : 0));
    List<Future<JsonObject>> singles = new ArrayList<>();
    return bus.send(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch))
        .compose(v -> {
          for (int i = 0; i < 5; i++) singles.add(bus.send(R, "enqueue", enqueueBody("t", "s", i)));
          return Future.all(singles);
        })
        .compose(v -> bus.send(R, "claim", claimBody("t", 12).put("lease_ms", 60_000)))
        .compose(r -> {
          List<JsonObject> jobs = list(r.getJsonArray("jobs"));
          List<Future<?>> acts = new ArrayList<>();
          List<JsonObject> byItems = new ArrayList<>();
          for (int i = 0; i < jobs.size(); i++) {
            JsonObject j = jobs.get(i);
            switch (i % 4) {
              case 0 -> acts.add(bus.send(R, "complete", held("t", j)).onSuccess(x -> completed("t", 1)));
              case 1 -> byItems.add(j);
              case 2 -> acts.add(bus.send(R, "fail", held("t", j).put("error", "e").put("retry_in_ms", 0)));
              default -> acts.add(bus.send(R, "fail", held("t", j).put("error", "e").put("permanent", true)));
            }
          }
          if (!byItems.isEmpty()) {
            acts.add(bus.send(R, "complete", items("t", byItems)).onSuccess(x -> completed("t", x.getInteger("completed"))));
          }
          return Future.all(acts).mapEmpty();
        });
  }
}
