package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.config.BackendType;
import io.piri.db.core.Clock;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A claim answers at most {@code max} tasks, and a session never holds more of a type than its
 * {@code max_running}, over thousands of small claims of two types made at once (on PostgreSQL
 * through two instances on one database, each session claiming through both at the same time)
 * while tasks are added, and the tasks taken are completed, failed and deferred under the other
 * claims.
 *
 * <p>First every task in the table is held by one session when PostgreSQL's statistics of it are
 * taken, as autovacuum takes them after a burst of claims; that session then closes, releasing
 * them, and the rest of the tasks are added while the claims run. The planner so believes that
 * hardly any task is unclaimed while many are: the statistics under which it plans a claim's
 * choice of candidates as a join that evaluates it more than once.
 */
public abstract class ClaimLimitsTestBase extends TaskEngineTestBase {
  private static final int BURST_TASKS = 200;
  private static final int ADDED_TASKS = 3300;
  private static final int LIMITED_MAX_RUNNING = 2;
  private static final int SESSIONS = 6;
  private static final int PRODUCERS = 4;
  private static final int TOTAL = BURST_TASKS + ADDED_TASKS;

  /** Failed and deferred runs wait their retry_wait on the system clock, so that the load ends by itself. */
  @Override
  protected Clock serverClock(Vertx v) {
    return Clock.system(v);
  }

  private final Map<String, Map<String, AtomicInteger>> held = new ConcurrentHashMap<>();
  private final Set<Long> retried = ConcurrentHashMap.newKeySet();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger claims = new AtomicInteger();
  private final List<String> violations = new ArrayList<>();

  @Test
  void claimsStayWithinMaxAndMaxRunning() throws Exception {
    startEngine();
    List<Bus> instances = schedulerNodes();
    if (instances.size() == 1) {
      // one SQLite file serves one instance: both claim loops of a session go through it
      instances.add(instances.get(0));
    }

    addMany("Forever", BURST_TASKS);
    String burst = openSession(60_000);
    int taken = 0;
    for (JsonArray got = claim(burst, "Forever", 1000, 0); !got.isEmpty(); got = claim(burst, "Forever", 1000, 0)) {
      taken += got.size();
    }
    assertEquals(BURST_TASKS, taken, "the burst session holds every task");
    takeStatistics();

    List<Future<Void>> loops = new ArrayList<>();
    for (int s = 0; s < SESSIONS; s++) {
      String session = openSession(60_000);
      held.put(session, new ConcurrentHashMap<>());
      for (Bus bus : instances) {
        Promise<Void> finished = Promise.promise();
        loops.add(finished.future());
        claimLoop(bus, session, new JsonArray(), finished);
      }
    }
    call(S, "session-close", new JsonObject().put("session", burst));
    List<Future<Void>> producers = new ArrayList<>();
    AtomicInteger toAdd = new AtomicInteger(ADDED_TASKS);
    for (int p = 0; p < PRODUCERS; p++) {
      Promise<Void> finished = Promise.promise();
      producers.add(finished.future());
      addLoop(instances.get(p % instances.size()), toAdd, finished);
    }
    Future.all(producers).await(120, TimeUnit.SECONDS);
    Future.all(loops).await(120, TimeUnit.SECONDS);
    System.out.printf("claim limits %s: %d claims for %d tasks, %d runs retried%n",
        backend().type().id(), claims.get(), TOTAL, retried.size());

    synchronized (violations) {
      assertTrue(violations.isEmpty(), violations.size() + " violations, first: "
          + String.join("; ", violations.subList(0, Math.min(10, violations.size()))));
    }
    assertEquals(TOTAL, done.get(), "every task done");
    JsonObject none = new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L);
    assertEquals(none, stats("Forever"));
    assertEquals(none, stats("Limited"));
  }

  /**
   * PostgreSQL's statistics of the task table, taken now (while every task is held). Autovacuum
   * takes the same after enough claims; the test cannot wait for its timer.
   */
  private void takeStatistics() throws Exception {
    if (backend().type() != BackendType.POSTGRES) return;
    try (Connection c = TestPostgres.connect(config.postgres().url()); Statement st = c.createStatement()) {
      st.execute("ANALYZE scheduler.task");
    }
  }

  /** Adds the tasks one at a time, every third a Limited one, while the claims run. */
  private void addLoop(Bus bus, AtomicInteger toAdd, Promise<Void> finished) {
    int n = toAdd.getAndDecrement();
    if (n <= 0 || broken()) {
      finished.tryComplete();
      return;
    }
    bus.apply("task-add", new JsonObject().put("name", n % 3 == 0 ? "Limited" : "Forever"))
        .onSuccess(r -> addLoop(bus, toAdd, finished))
        .onFailure(finished::tryFail);
  }

  /**
   * One claimer of a session: claims up to 1..3 tasks of either type, checks the reply against
   * {@code max} and what the session then holds against {@code max_running}, and keeps the tasks
   * until its next claim has answered; only then does it report them (the first run of every 10th
   * id fails and of every 10th + 5 is deferred, both requeue the task; every other run is done).
   */
  private void claimLoop(Bus bus, String session, JsonArray holding, Promise<Void> finished) {
    if (broken() || holding.isEmpty() && done.get() >= TOTAL) {
      finished.tryComplete();
      return;
    }
    int max = 1 + ThreadLocalRandom.current().nextInt(3);
    // both orders, so that either type may come first in the claim's share
    JsonArray names = ThreadLocalRandom.current().nextBoolean() ? new JsonArray().add("Forever").add("Limited")
        : new JsonArray().add("Limited").add("Forever");
    JsonObject body = new JsonObject().put("session", session).put("names", names).put("max", max).put("wait_ms", 200);
    Map<String, AtomicInteger> mine = held.get(session);
    bus.apply("task-claim", body)
        .compose(reply -> {
          claims.incrementAndGet();
          JsonArray tasks = reply.getJsonArray("tasks");
          if (tasks.size() > max) violation("claim with max " + max + " answered " + tasks.size() + " tasks");
          for (Object o : tasks) {
            String name = ((JsonObject) o).getString("name");
            int now = mine.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            if (name.equals("Limited") && now > LIMITED_MAX_RUNNING) {
              violation("session " + session + " holds " + now + " Limited tasks (max_running " + LIMITED_MAX_RUNNING + ")");
            }
          }
          return report(bus, session, holding).map(tasks);
        })
        .onSuccess(tasks -> claimLoop(bus, session, tasks, finished))
        .onFailure(finished::tryFail);
  }

  private Future<Void> report(Bus bus, String session, JsonArray tasks) {
    // once a limit is broken the run stops: the tasks stay held, the assertion says why
    if (broken()) return Future.succeededFuture();
    Map<String, AtomicInteger> mine = held.get(session);
    List<Future<JsonObject>> reports = new ArrayList<>();
    for (Object o : tasks) {
      JsonObject t = (JsonObject) o;
      long id = t.getLong("id");
      String outcome = id % 10 == 0 && retried.add(id) ? "failed" : id % 10 == 5 && retried.add(id) ? "deferred" : "done";
      // counted down before the report is sent: whatever is still counted is certainly still held
      mine.get(t.getString("name")).decrementAndGet();
      reports.add(bus.apply("task-complete", completeBody(id, session, outcome, null)).onSuccess(r -> {
        if (outcome.equals("done")) done.incrementAndGet();
      }));
    }
    return Future.all(reports).mapEmpty();
  }

  private boolean broken() {
    synchronized (violations) {
      return !violations.isEmpty();
    }
  }

  private void violation(String what) {
    synchronized (violations) {
      violations.add(what);
    }
  }
}
