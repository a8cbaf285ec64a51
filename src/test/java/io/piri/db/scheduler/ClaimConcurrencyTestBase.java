package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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
 * Exactly one owner per task (D1): many sessions claim at once (on PostgreSQL through two server
 * instances) while tasks are being added; some runs fail once and are claimed again. At no moment
 * do two sessions hold one task, and every task ends done exactly once.
 */
public abstract class ClaimConcurrencyTestBase extends TaskEngineTestBase {
  private static final int TASKS = 3000;
  private static final int SESSIONS_PER_INSTANCE = 8;

  /** Failed runs wait their retry_wait on the system clock, so that the load ends by itself. */
  @Override
  protected Clock serverClock(Vertx v) {
    return Clock.system(v);
  }

  @Test
  void everyTaskHasExactlyOneOwnerPerRun() throws Exception {
    startEngine();
    List<Bus> instances = schedulerNodes();

    Map<Long, String> holder = new ConcurrentHashMap<>();
    Map<Long, AtomicInteger> claims = new ConcurrentHashMap<>();
    Set<Long> failedOnce = ConcurrentHashMap.newKeySet();
    AtomicInteger done = new AtomicInteger();
    List<String> violations = new ArrayList<>();
    List<Future<Void>> workers = new ArrayList<>();

    for (Bus bus : instances) {
      for (int i = 0; i < SESSIONS_PER_INSTANCE; i++) {
        String session = await(bus.apply("session-open", new JsonObject().put("ttl_ms", 60_000))).getString("session");
        Promise<Void> finished = Promise.promise();
        workers.add(finished.future());
        new Worker(bus, session, holder, claims, failedOnce, done, violations, finished).loop();
      }
    }
    List<Future<JsonObject>> adds = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      Bus bus = instances.get(i % instances.size());
      adds.add(bus.apply("task-add", new JsonObject().put("name", "Forever")));
    }
    Future.all(adds).await(120, TimeUnit.SECONDS);
    Future.all(workers).await(180, TimeUnit.SECONDS);

    synchronized (violations) {
      assertTrue(violations.isEmpty(), String.join("; ", violations));
    }
    assertEquals(TASKS, done.get());
    assertEquals(TASKS, claims.size(), "every task was claimed");
    for (Map.Entry<Long, AtomicInteger> e : claims.entrySet()) {
      int expected = failedOnce.contains(e.getKey()) ? 2 : 1;
      assertEquals(expected, e.getValue().get(), "claims of task " + e.getKey());
    }
    Set<Long> inHistory = new HashSet<>();
    int rows = 0;
    long after = 0;
    while (true) {
      JsonObject page = call(S, "task-history", new JsonObject().put("after_id", after).put("limit", 1000));
      for (Object o : page.getJsonArray("rows")) {
        JsonObject r = (JsonObject) o;
        rows++;
        if (r.getBoolean("result")) assertTrue(inHistory.add(r.getLong("task_id")), "done twice: " + r);
      }
      if (page.getValue("next_after_id") == null) break;
      after = page.getLong("next_after_id");
    }
    assertEquals(TASKS, inHistory.size());
    assertEquals(TASKS + failedOnce.size(), rows, "one history row per outcome");
    assertEquals(new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L), stats("Forever"));
  }

  /** One session's loop: claim up to 16, check and record ownership, complete each (every 10th fails once). */
  private static final class Worker {
    final Bus bus;
    final String session;
    final Map<Long, String> holder;
    final Map<Long, AtomicInteger> claims;
    final Set<Long> failedOnce;
    final AtomicInteger done;
    final List<String> violations;
    final Promise<Void> finished;

    Worker(Bus bus, String session, Map<Long, String> holder, Map<Long, AtomicInteger> claims, Set<Long> failedOnce,
        AtomicInteger done, List<String> violations, Promise<Void> finished) {
      this.bus = bus;
      this.session = session;
      this.holder = holder;
      this.claims = claims;
      this.failedOnce = failedOnce;
      this.done = done;
      this.violations = violations;
      this.finished = finished;
    }

    void loop() {
      if (done.get() >= TASKS) {
        finished.tryComplete();
        return;
      }
      int max = 1 + ThreadLocalRandom.current().nextInt(16);
      bus.apply("task-claim", claimBody(session, "Forever", max, 300))
          .compose(r -> {
            JsonArray tasks = r.getJsonArray("tasks");
            List<Future<JsonObject>> completes = new ArrayList<>();
            for (Object o : tasks) {
              long id = ((JsonObject) o).getLong("id");
              String previous = holder.putIfAbsent(id, session);
              if (previous != null) {
                synchronized (violations) {
                  violations.add("task " + id + " held by " + previous + " and " + session);
                }
              }
              claims.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
              boolean fail = id % 10 == 0 && failedOnce.add(id);
              holder.remove(id, session);
              completes.add(bus.apply("task-complete", completeBody(id, session, fail ? "failed" : "done", fail ? "once" : null))
                  .onSuccess(c -> {
                    if (!fail) done.incrementAndGet();
                  }));
            }
            return Future.all(completes);
          })
          .onSuccess(v -> loop())
          .onFailure(finished::tryFail);
    }
  }
}
