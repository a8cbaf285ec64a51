package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Exactly one claimer per job (spec §14.1): many claimers (on PostgreSQL also through a second
 * instance sharing the database) claim, complete and sometimes fail jobs while they are being
 * enqueued. Every job is delivered exactly once per attempt, none is lost, and the queue ends empty.
 */
public abstract class ExactlyOnceTestBase extends QueueTestBase {
  private static final int CLAIMERS_PER_INSTANCE = 16;

  @Test
  void everyJobIsDeliveredExactlyOncePerAttempt() throws Exception {
    run(R, "replication", 3000, false);
  }

  @Test
  void dedupeQueueDeliversExactlyOnceToo() throws Exception {
    run(A, "aggregator", 1000, true);
  }

  /**
   * Two completes of one job sent together, many jobs at once, so that single completes share a
   * write: one of each pair is acknowledged, the other gets the 404 a late complete gets, and
   * {@code done} counts each job once.
   */
  @Test
  void aJobCompletesOnceWhenItsCompletesShareAWrite() throws Exception {
    startQueues();
    int n = 50;
    JsonArray batch = new JsonArray();
    for (int i = 0; i < n; i++) batch.add(job("twice", i));
    call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch));
    JsonArray jobs = call(R, "claim", claimBody("t", n).put("lease_ms", 60_000)).getJsonArray("jobs");
    assertEquals(n, jobs.size());
    List<Future<JsonObject>> first = new ArrayList<>();
    List<Future<JsonObject>> second = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      first.add(request(R, "complete", held("t", jobs.getJsonObject(i))));
      second.add(request(R, "complete", held("t", jobs.getJsonObject(i))));
    }
    List<Future<?>> all = new ArrayList<>(first);
    all.addAll(second);
    Future.join(all).otherwiseEmpty().await(30, TimeUnit.SECONDS);
    for (int i = 0; i < n; i++) {
      Future<JsonObject> won = first.get(i).succeeded() ? first.get(i) : second.get(i);
      Future<JsonObject> lost = won == first.get(i) ? second.get(i) : first.get(i);
      assertTrue(won.succeeded(), "job " + i + ": " + won.cause());
      assertEquals(new JsonObject().put("completed", 1), won.result());
      assertTrue(lost.failed(), "job " + i + " acknowledged twice");
      assertEquals(404, ((io.vertx.core.eventbus.ReplyException) lost.cause()).failureCode(), lost.cause().getMessage());
    }
    assertEquals(counts(0, 0, 0, 0, n), stats(R, "t"));
  }

  private void run(StoreId store, String queue, int total, boolean distinctPayloads) throws Exception {
    startQueues();
    List<Bus> instances = new ArrayList<>();
    instances.add(local());
    if (postgres()) instances.add(startSecondInstance());

    Map<Long, String> holder = new ConcurrentHashMap<>();
    Map<Long, Set<Integer>> deliveries = new ConcurrentHashMap<>();
    Set<Long> failedOnce = ConcurrentHashMap.newKeySet();
    AtomicInteger completed = new AtomicInteger();
    List<String> violations = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> workers = new ArrayList<>();

    for (Bus bus : instances) {
      for (int i = 0; i < CLAIMERS_PER_INSTANCE; i++) {
        Promise<Void> finished = Promise.promise();
        workers.add(finished.future());
        new Claimer(bus, store, queue, total, i % 2 == 0, holder, deliveries, failedOnce, completed, violations, finished).loop();
      }
    }

    // Half in batches of 50, half one by one, spread over the instances.
    List<Future<JsonObject>> enqueues = new ArrayList<>();
    int n = 0;
    int batches = 0;
    while (n < total / 2) {
      JsonArray jobs = new JsonArray();
      for (int j = 0; j < 50 && n < total / 2; j++, n++) jobs.add(job("job", payload(n, distinctPayloads)));
      enqueues.add(instances.get(batches++ % instances.size()).send(store, "enqueue-batch", new JsonObject().put("queue", queue).put("jobs", jobs)));
    }
    for (; n < total; n++) {
      enqueues.add(instances.get(n % instances.size()).send(store, "enqueue", enqueueBody(queue, "job", payload(n, distinctPayloads))));
    }
    Future.all(enqueues).await(120, TimeUnit.SECONDS);
    Set<Long> enqueued = new HashSet<>();
    for (Future<JsonObject> f : enqueues) {
      JsonObject r = f.result();
      if (r.containsKey("ids")) {
        r.getJsonArray("ids").forEach(id -> enqueued.add(((Number) id).longValue()));
      } else {
        assertEquals(false, r.getBoolean("duplicate"));
        enqueued.add(r.getLong("id"));
      }
    }
    assertEquals(total, enqueued.size(), "distinct ids");

    Eventually.until("every job completed", Duration.ofSeconds(150),
        () -> completed.get() >= total || workers.stream().anyMatch(Future::failed));
    for (Future<Void> w : workers) assertTrue(!w.failed(), "a claimer failed: " + w.cause());

    synchronized (violations) {
      assertTrue(violations.isEmpty(), violations.size() + " violations: " + String.join("; ", violations.subList(0, Math.min(10, violations.size()))));
    }
    assertEquals(total, completed.get());
    assertEquals(enqueued, deliveries.keySet(), "every enqueued job was delivered, and nothing else");
    for (Map.Entry<Long, Set<Integer>> e : deliveries.entrySet()) {
      Set<Integer> expected = failedOnce.contains(e.getKey()) ? Set.of(1, 2) : Set.of(1);
      assertEquals(expected, e.getValue(), "attempts delivered of job " + e.getKey());
    }
    assertTrue(failedOnce.size() > 0, "some jobs took a second attempt");
    // done is counted in each completion's transaction: every instance sees everyone's at once.
    for (Bus bus : instances) {
      assertEquals(counts(0, 0, 0, 0, total),
          await(bus.send(store, "stats", new JsonObject().put("queue", queue))).getJsonObject("queues").getJsonObject(queue));
    }
  }

  private static Object payload(int n, boolean distinct) {
    return distinct ? new JsonObject().put("piece", "p" + n) : new JsonObject().put("same", true);
  }

  /** Claims (long-polling) until every job is completed; fails the first attempt of about 1 job in 8. */
  private static final class Claimer {
    private final Bus bus;
    private final StoreId store;
    private final String queue;
    private final int total;
    private final boolean batchComplete;
    private final Map<Long, String> holder;
    private final Map<Long, Set<Integer>> deliveries;
    private final Set<Long> failedOnce;
    private final AtomicInteger completed;
    private final List<String> violations;
    private final Promise<Void> finished;

    Claimer(Bus bus, StoreId store, String queue, int total, boolean batchComplete, Map<Long, String> holder,
        Map<Long, Set<Integer>> deliveries, Set<Long> failedOnce, AtomicInteger completed, List<String> violations,
        Promise<Void> finished) {
      this.bus = bus;
      this.store = store;
      this.queue = queue;
      this.total = total;
      this.batchComplete = batchComplete;
      this.holder = holder;
      this.deliveries = deliveries;
      this.failedOnce = failedOnce;
      this.completed = completed;
      this.violations = violations;
      this.finished = finished;
    }

    void loop() {
      if (completed.get() >= total) {
        finished.tryComplete();
        return;
      }
      int max = ThreadLocalRandom.current().nextInt(1, 9);
      JsonObject body = new JsonObject().put("queue", queue).put("max", max).put("lease_ms", 120_000).put("wait_ms", 300);
      bus.send(store, "claim", body).compose(r -> handle(r.getJsonArray("jobs"))).onComplete(ar -> {
        if (ar.failed()) {
          finished.tryFail(ar.cause());
        } else {
          loop();
        }
      });
    }

    private Future<Void> handle(JsonArray jobs) {
      List<Future<?>> replies = new ArrayList<>();
      JsonArray items = new JsonArray();
      for (int i = 0; i < jobs.size(); i++) {
        JsonObject j = jobs.getJsonObject(i);
        long id = j.getLong("id");
        int attempt = j.getInteger("attempt");
        String receipt = j.getString("receipt");
        String previous = holder.putIfAbsent(id, receipt);
        if (previous != null) violations.add("job " + id + " claimed while held");
        if (!deliveries.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(attempt)) {
          violations.add("job " + id + " attempt " + attempt + " delivered twice");
        }
        JsonObject held = new JsonObject().put("queue", queue).put("id", id).put("receipt", receipt);
        if (attempt == 1 && id % 8 == 3) {
          failedOnce.add(id);
          holder.remove(id, receipt);
          replies.add(bus.send(store, "fail", held.put("error", "flaky").put("retry_in_ms", 0)).map(r -> {
            if (!"scheduled".equals(r.getString("state"))) violations.add("job " + id + " fail: " + r.encode());
            return null;
          }));
        } else if (batchComplete) {
          holder.remove(id, receipt);
          items.add(new JsonObject().put("id", id).put("receipt", receipt));
        } else {
          holder.remove(id, receipt);
          replies.add(bus.send(store, "complete", held).map(r -> {
            completed.addAndGet(r.getInteger("completed"));
            return null;
          }));
        }
      }
      if (!items.isEmpty()) {
        replies.add(bus.send(store, "complete", new JsonObject().put("queue", queue).put("items", items)).map(r -> {
          if (!r.getJsonArray("stale").isEmpty()) violations.add("stale items " + r.getJsonArray("stale").encode());
          completed.addAndGet(r.getInteger("completed"));
          return null;
        }));
      }
      return Future.all(replies).mapEmpty();
    }
  }
}
