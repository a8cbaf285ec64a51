package io.piri.db.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.config.ConfigLoader;
import io.piri.db.support.BusReplies;
import io.piri.db.support.Eventually;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** QueueWorker and QueueClient with real handlers against a real server, on each backend. */
public abstract class WorkerTestBase extends ServerTestBase {
  private static final String Q = "work";
  private static final String LONG = "long";
  private QueueClient client;
  private QueueWorker worker;

  @BeforeEach
  void start() throws Exception {
    JsonObject queues = new JsonObject().put("queues", new JsonObject()
        .put(Q, new JsonObject().put("store", "replicator").put("lease", "400ms").put("max_attempts", 3)
            .put("backoff_base", "20ms").put("backoff_max", "50ms"))
        // Extended every 1.6 s (0.8 x lease), 400 ms before the lease would end.
        .put(LONG, new JsonObject().put("store", "replicator").put("lease", "2s").put("max_attempts", 3)));
    config = ConfigLoader.fromJson(queues, Map.of())
        .with(config.dataDir(), config.backend(), config.postgres().url()).withBridgePort(config.bridgePort());
    startServer();
    client = new QueueClient(vertx, StoreId.REPLICATOR.address());
  }

  @AfterEach
  void stopWorker() throws Exception {
    if (worker != null) {
      try {
        await(worker.stop(Duration.ofSeconds(5)));
      } catch (Exception ignored) {
        // a test that stops it itself may have left it timed out
      }
    }
  }

  /** A worker on the test's clock: its lease extensions, retry waits and stop deadline move with it. */
  private QueueWorker worker(int concurrency) {
    worker = QueueWorker.create(vertx, clock, client, Q, concurrency);
    return worker;
  }

  private void enqueue(String name, Object payload) throws Exception {
    await(client.enqueue(Q, name, payload));
  }

  private JsonObject stats() throws Exception {
    return await(client.stats(Q)).getJsonObject(Q);
  }

  private JsonArray dead() throws Exception {
    return await(client.deadList(Q, 0, 100)).getJsonArray("jobs");
  }

  private int deadCount() {
    try {
      return dead().size();
    } catch (Exception e) {
      return -1;
    }
  }

  private long doneCount() {
    try {
      return stats().getLong("done");
    } catch (Exception e) {
      return -1;
    }
  }

  private static void eventually(String what, BooleanSupplier check) {
    Eventually.until(what, check::getAsBoolean);
  }

  /**
   * Lets the queue's retry waits (backoff 20..50 ms, ±20%) pass, one at a time, until {@code check}
   * holds: the clock moves on only once a retry's due time is set.
   */
  private void retriesUntil(String what, BooleanSupplier check) {
    Eventually.until(what, () -> {
      long now = clock.now();
      if (clock.count(d -> d > now && d <= now + 61) > 0) clock.advance(61);
      return check.getAsBoolean();
    });
  }

  private boolean drained() {
    try {
      JsonObject s = stats();
      return s.getLong("ready") + s.getLong("scheduled") + s.getLong("running") == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void runsEveryJobOnceWithinTheConcurrencyLimit() throws Exception {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger runs = new AtomicInteger();
    worker(4).handle("square", job -> {
      peak.accumulateAndGet(now.incrementAndGet(), Math::max);
      runs.incrementAndGet();
      seen.add(((Number) job.payload()).intValue());
      return vertx.timer(5).onComplete(x -> now.decrementAndGet());
    }).start();
    for (int i = 0; i < 60; i++) enqueue("square", i);

    eventually("all jobs done", () -> seen.size() == 60 && drained());
    assertEquals(60, runs.get());
    assertTrue(peak.get() <= 4, "at most 4 at once, saw " + peak.get());
    assertTrue(peak.get() > 1, "jobs ran concurrently");
  }

  @Test
  void failingHandlerIsRetriedThenDeadLettered() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    worker(1).handle("flaky", job -> {
      attempts.incrementAndGet();
      return Future.failedFuture("upstream said no");
    }).start();
    enqueue("flaky", "x");

    retriesUntil("dead-lettered", () -> deadCount() == 1);
    JsonObject d = dead().getJsonObject(0);
    assertEquals("max_attempts", d.getString("reason"));
    assertEquals("upstream said no", d.getString("error"));
    assertEquals(3, d.getInteger("attempts"));
    assertEquals(3, attempts.get());
  }

  @Test
  void permanentFailureAndThrowingHandlersAreReported() throws Exception {
    AtomicInteger permanentRuns = new AtomicInteger();
    worker(2)
        .handle("hopeless", job -> {
          permanentRuns.incrementAndGet();
          throw new PermanentFailure("bad input");
        })
        .handle("boom", job -> {
          throw new IllegalStateException("handler bug");
        })
        .start();
    enqueue("hopeless", 1);
    enqueue("boom", 2);

    retriesUntil("both dead", () -> deadCount() == 2);
    Map<String, JsonObject> byName = new java.util.HashMap<>();
    dead().forEach(o -> byName.put(((JsonObject) o).getString("name"), (JsonObject) o));
    assertEquals("permanent_error", byName.get("hopeless").getString("reason"));
    assertEquals(1, permanentRuns.get());
    assertEquals("max_attempts", byName.get("boom").getString("reason"));
    assertEquals("handler bug", byName.get("boom").getString("error"));
  }

  @Test
  void unknownJobNameAndUndecodablePayloadAreDeadLetteredNotFatal() throws Exception {
    CountDownLatch good = new CountDownLatch(1);
    worker(1)
        .handle("typed", job -> ((JsonObject) job.payload()).getInteger("n"), n -> Future.succeededFuture(n))
        .handle("ok", job -> {
          good.countDown();
          return Future.succeededFuture();
        })
        .start();
    enqueue("mystery", "?");
    enqueue("typed", "not an object");
    enqueue("ok", 1);

    assertTrue(good.await(15, TimeUnit.SECONDS), "the worker keeps running");
    eventually("two dead", () -> deadCount() == 2);
    Map<String, JsonObject> byName = new java.util.HashMap<>();
    dead().forEach(o -> byName.put(((JsonObject) o).getString("name"), (JsonObject) o));
    assertEquals("permanent_error", byName.get("mystery").getString("reason"));
    assertTrue(byName.get("mystery").getString("error").contains("no handler registered for job 'mystery'"));
    assertEquals("permanent_error", byName.get("typed").getString("reason"));
    assertTrue(byName.get("typed").getString("error").startsWith("cannot decode the payload of job 'typed'"));
  }

  @Test
  void leaseIsExtendedWhileAHandlerRunsLongerThanIt() throws Exception {
    BusReplies replies = BusReplies.watch(vertx);
    AtomicInteger runs = new AtomicInteger();
    Promise<Void> running = Promise.promise();
    Promise<Void> finish = Promise.promise();
    worker = QueueWorker.create(vertx, clock, client, LONG, 2).handle("slow", job -> {
      runs.incrementAndGet();
      running.tryComplete();
      return finish.future();
    });
    worker.start();
    await(client.enqueue(LONG, "slow", 1));
    running.future().await(15, TimeUnit.SECONDS);
    // The 2 s lease is extended every 1.6 s; 4.8 s later the job is still held by this worker.
    for (int i = 0; i < 3; i++) {
      clock.advance(1_600);
      long leaseEnd = clock.now() + 2_000;
      replies.await("an extension", r -> r.containsKey("visible_at") && r.getLong("visible_at") >= leaseEnd);
    }
    assertEquals(0, await(client.claim(LONG, 10, 0, 0)).size(), "nobody else can claim it");
    finish.complete();

    eventually("completed", () -> {
      try {
        return await(client.stats(LONG)).getJsonObject(LONG).getLong("done") == 1;
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(1, runs.get(), "a 4.8 s job with a 2 s lease runs once");
  }

  @Test
  void stopWaitsForRunningHandlersAndTimesOutWithoutKillingThem() throws Exception {
    Promise<Void> release = Promise.promise();
    CountDownLatch started = new CountDownLatch(1);
    worker(1).handle("held", job -> {
      started.countDown();
      return release.future();
    }).start();
    enqueue("held", 1);
    assertTrue(started.await(15, TimeUnit.SECONDS));

    long deadline = clock.now() + 200;
    Future<Void> stopping = worker.stop(Duration.ofMillis(200));
    clock.awaitTimerAt(deadline);
    clock.advance(200);
    Exception e = assertThrows(Exception.class, () -> await(stopping));
    assertTrue(e.getMessage().contains("stop timeout"), e.getMessage());
    assertEquals(1, worker.running(), "the handler is not interrupted");
    vertx.runOnContext(v -> release.complete());
    eventually("handler finished", () -> worker.running() == 0);
  }

  @Test
  void stopCompletesOnceRunningHandlersFinish() throws Exception {
    Promise<Void> release = Promise.promise();
    CountDownLatch started = new CountDownLatch(1);
    worker(1).handle("held", job -> {
      started.countDown();
      return release.future();
    }).start();
    enqueue("held", 1);
    assertTrue(started.await(15, TimeUnit.SECONDS));

    Future<Void> stopping = worker.stop(Duration.ofSeconds(10));
    vertx.runOnContext(v -> release.complete());
    await(stopping);
    eventually("job completed", () -> doneCount() == 1);
  }

  @Test
  void registrationRules() {
    QueueWorker w = worker(1).handle("a", job -> Future.succeededFuture());
    assertThrows(IllegalArgumentException.class, () -> w.handle("a", job -> Future.succeededFuture()));
    assertThrows(IllegalArgumentException.class, () -> QueueWorker.create(vertx, client, Q, 0));
    w.start();
    assertThrows(IllegalStateException.class, () -> w.handle("b", job -> Future.succeededFuture()));
    assertThrows(IllegalStateException.class, w::start);
  }

  @Test
  void clientReportsStoreErrorsAsTyped() throws Exception {
    StoreException e = assertThrows(StoreException.class, () -> await(client.enqueue("no-such-queue", "x", 1)));
    assertEquals(400, e.code());
    assertEquals("invalid_argument", e.error());
    assertTrue(e.getMessage().contains("'queue'"));
  }
}
