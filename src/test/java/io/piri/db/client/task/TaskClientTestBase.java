package io.piri.db.client.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.scheduler.TaskEngineTestBase;
import io.piri.db.support.BusReplies;
import io.piri.db.support.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Java task client with real handlers against a real store. */
public abstract class TaskClientTestBase extends TaskEngineTestBase {

  /** A client on the test's clock: its heartbeats, retry waits and stop deadline move with it. */
  private TaskClient client(long ttlMs) {
    return new TaskClient(vertx, clock, new TaskClientOptions().sessionName("test").ttlMs(ttlMs).claimWaitMs(5_000));
  }

  private long historyRows(boolean result) throws Exception {
    return history(new JsonObject().put("limit", 1000)).stream().filter(o -> ((JsonObject) o).getBoolean("result") == result).count();
  }

  /** Waits until history holds {@code n} rows with result=true. */
  private void awaitDone(int n) {
    Eventually.until(n + " tasks done", () -> historyRows(true) >= n);
  }

  @Test
  void handlersOutcomesExceptionsAndFailedFuturesAreReported() throws Exception {
    startEngine();
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    long done = add("Forever");
    long failOnce = add("Forever");
    long deferOnce = add("Forever");
    long throwOnce = add("Forever");
    long failedFutureOnce = add("Forever");
    TaskClient client = client(30_000).register("Forever", 4, id -> {
      int run = runs.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      if (run > 1 || id == done) return Future.succeededFuture(Outcome.done());
      if (id == failOnce) return Future.succeededFuture(Outcome.failed("first try"));
      if (id == deferOnce) return Future.succeededFuture(Outcome.deferred("gas"));
      if (id == throwOnce) throw new IllegalStateException("handler blew up");
      return Future.failedFuture(new RuntimeException("future failed"));
    });
    await(client.start());
    // The first runs: one done, four failed or deferred, which wait their retry_wait (100ms).
    Eventually.until("the first run of each task is recorded", () -> historyRows(true) == 1 && historyRows(false) == 4);
    clock.awaitTimerAt(clock.now() + 101);
    clock.advance(101);
    awaitDone(5);
    await(client.stop(Duration.ofSeconds(5)));
    assertEquals(1, runs.get(done).get());
    assertEquals("error: first try", history(new JsonObject().put("task_id", failOnce)).getJsonObject(0).getString("err"));
    assertEquals("deferred: gas", history(new JsonObject().put("task_id", deferOnce)).getJsonObject(0).getString("err"));
    assertEquals("error: handler blew up", history(new JsonObject().put("task_id", throwOnce)).getJsonObject(0).getString("err"));
    assertEquals("error: future failed", history(new JsonObject().put("task_id", failedFutureOnce)).getJsonObject(0).getString("err"));
    assertTrue(history(new JsonObject().put("task_id", throwOnce)).getJsonObject(1).getBoolean("result"), "then done");
    assertEquals(new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L), stats("Forever"));
  }

  @Test
  void concurrencyLimitPerTypeIsRespected() throws Exception {
    startEngine();
    addMany("Forever", 40);
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    TaskClient client = client(30_000).register("Forever", 3, id -> {
      peak.accumulateAndGet(now.incrementAndGet(), Math::max);
      return vertx.timer(20).map(x -> {
        now.decrementAndGet();
        return Outcome.done();
      });
    });
    await(client.start());
    awaitDone(40);
    await(client.stop(Duration.ofSeconds(5)));
    assertTrue(peak.get() <= 3, "at most 3 at once, saw " + peak.get());
    assertTrue(peak.get() >= 2, "ran in parallel, saw " + peak.get());
  }

  @Test
  void aWaitingClientPicksUpNewTasksAtOnce() throws Exception {
    startEngine();
    Promise<Long> ran = Promise.promise();
    TaskClient client = client(30_000).register("Quick", 1, id -> {
      ran.tryComplete(id);
      return Future.succeededFuture(Outcome.done());
    });
    await(client.start());
    long id = add("Quick");
    assertEquals(id, ran.future().await(10, TimeUnit.SECONDS));
    await(client.stop(Duration.ofSeconds(5)));
  }

  @Test
  void heartbeatsKeepALongTaskPastItsTtl() throws Exception {
    startEngine();
    BusReplies replies = BusReplies.watch(vertx);
    long id = add("Quick");
    Promise<Void> running = Promise.promise();
    Promise<Outcome> finish = Promise.promise();
    TaskClient client = client(300).register("Quick", 1, t -> {
      running.tryComplete();
      return finish.future();
    });
    await(client.start());
    running.future().await(10, TimeUnit.SECONDS);
    String other = openSession(30_000);
    Future<JsonObject> waiting = waitingClaim(other, "Quick", 1, 1_000);
    // Over three ttls, a tenth of a second at a time: the client heartbeats every ttl/3.
    for (int i = 0; i < 10; i++) {
      clock.advance(100);
      long renewed = clock.now() + 300;
      replies.await("the heartbeat sent now", r -> r.containsKey("expires_at") && !r.containsKey("ttl_ms")
          && r.getLong("expires_at") >= renewed);
    }
    assertEquals(0, await(waiting).getJsonArray("tasks").size(), "the client's session stays alive");
    finish.complete(Outcome.done());
    awaitDone(1);
    assertEquals(1, history(new JsonObject().put("task_id", id)).size());
    await(client.stop(Duration.ofSeconds(5)));
  }

  @Test
  void stopFinishesRunningHandlersThenReleasesWhatIsLeft() throws Exception {
    startEngine();
    long quick = add("Quick");
    long stuck = add("Forever");
    Promise<Outcome> quickDone = Promise.promise();
    Promise<Void> bothStarted = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    TaskClient client = client(30_000)
        .register("Quick", 1, id -> {
          if (started.incrementAndGet() == 2) bothStarted.tryComplete();
          return quickDone.future();
        })
        .register("Forever", 1, id -> {
          if (started.incrementAndGet() == 2) bothStarted.tryComplete();
          return Promise.<Outcome>promise().future(); // never finishes
        });
    await(client.start());
    String session = client.session();
    bothStarted.future().await(10, TimeUnit.SECONDS);
    long deadline = clock.now() + 700;
    Future<Void> stopping = client.stop(Duration.ofMillis(700));
    quickDone.complete(Outcome.done());
    Eventually.until("the running handler finished and was recorded", () -> history(new JsonObject().put("task_id", quick)).size() == 1);
    clock.awaitTimerAt(deadline);
    assertFalse(stopping.isComplete(), "stop waits for the handler that never ends until its deadline");
    clock.advance(700);
    await(stopping);
    assertEquals(0, history(new JsonObject().put("task_id", stuck)).size());
    assertEquals(1, stats("Forever").getLong("runnable"), "the unfinished task was released");
    assertCode(404, callFails(S, "session-heartbeat", new JsonObject().put("session", session)), "session");
    JsonArray got = claim(openSession(30_000), "Forever", 1, 0);
    assertEquals(stuck, got.getJsonObject(0).getLong("id"));
  }

  @Test
  void clientSpeaksOnlyTheEventBusProtocol() throws Exception {
    Path dir = Path.of("src/main/java/io/piri/db/client/task");
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
      assertFalse(sources.isEmpty());
      for (Path p : sources) {
        String text = Files.readString(p);
        for (String forbidden : List.of("io.piri.db.backend", "io.piri.db.scheduler", "io.piri.db.store")) {
          assertFalse(text.contains(forbidden), p + " uses " + forbidden);
        }
      }
    }
  }
}
