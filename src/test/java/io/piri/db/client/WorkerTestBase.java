package io.piri.db.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.BusReplies;
import io.piri.db.support.Eventually;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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
    config = thisNodeWith(queues);
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
    return stats(Q);
  }

  private JsonObject stats(String queue) throws Exception {
    return await(client.stats(queue)).getJsonObject(queue);
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
    return doneCount(Q);
  }

  private long doneCount(String queue) {
    try {
      return stats(queue).getLong("done");
    } catch (Exception e) {
      return -1;
    }
  }

  /** The dead-lettered jobs of {@link #Q} by job name. */
  private Map<String, JsonObject> deadByName() throws Exception {
    Map<String, JsonObject> byName = new java.util.HashMap<>();
    dead().forEach(o -> byName.put(((JsonObject) o).getString("name"), (JsonObject) o));
    return byName;
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
    Map<String, JsonObject> byName = deadByName();
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
    Map<String, JsonObject> byName = deadByName();
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

    eventually("completed", () -> doneCount(LONG) == 1);
    assertEquals(1, runs.get(), "a 4.8 s job with a 2 s lease runs once");
  }

  /**
   * Starts a worker of one slot whose handler of the one job "held" runs until the returned promise
   * is completed; returns once it runs.
   */
  private Promise<Void> heldJobRunning() throws Exception {
    Promise<Void> release = Promise.promise();
    CountDownLatch started = new CountDownLatch(1);
    worker(1).handle("held", job -> {
      started.countDown();
      return release.future();
    }).start();
    enqueue("held", 1);
    assertTrue(started.await(15, TimeUnit.SECONDS));
    return release;
  }

  @Test
  void stopWaitsForRunningHandlersAndTimesOutWithoutKillingThem() throws Exception {
    Promise<Void> release = heldJobRunning();
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
    Promise<Void> release = heldJobRunning();
    Future<Void> stopping = worker.stop(Duration.ofSeconds(10));
    vertx.runOnContext(v -> release.complete());
    await(stopping);
    eventually("job completed", () -> doneCount() == 1);
  }

  /**
   * The {@code complete} requests the worker sends for queue {@link #Q}, in order: the number of
   * items of each, 0 for a single complete. {@code refuse} may alter a request before it leaves.
   */
  private List<Integer> completeRequests(Consumer<JsonObject> refuse) {
    List<Integer> sent = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if ("complete".equals(ctx.message().headers().get("action")) && ctx.body() instanceof JsonObject body
          && Q.equals(body.getString("queue"))) {
        JsonArray items = body.getJsonArray("items");
        sent.add(items == null ? 0 : items.size());
        refuse.accept(body);
      }
      ctx.next();
    });
    return sent;
  }

  /** Handlers of job "gated" that wait for {@link Gate#open}, which ends them all in one event-loop task. */
  private static final class Gate {
    final Promise<Void> gate = Promise.promise();
    final AtomicInteger runs = new AtomicInteger();
    volatile Context workerContext;

    Future<Void> handle(Job job) {
      workerContext = Vertx.currentContext();
      runs.incrementAndGet();
      return gate.future();
    }

    /** Returns once every waiting handler has finished (the gate's listeners run inside complete). */
    void open() throws Exception {
      CountDownLatch opened = new CountDownLatch(1);
      workerContext.runOnContext(v -> {
        gate.complete();
        opened.countDown();
      });
      assertTrue(opened.await(15, TimeUnit.SECONDS));
    }
  }

  private void enqueueMany(String name, int n) throws Exception {
    List<JsonObject> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) jobs.add(new JsonObject().put("name", name).put("payload", i));
    await(client.enqueueBatch(Q, jobs));
  }

  /** Enqueues {@code jobs} jobs "gated", starts {@code w} with a gate for them; returns once {@code running} run. */
  private Gate gatedJobsRunning(int jobs, QueueWorker w, int running) throws Exception {
    Gate gate = new Gate();
    enqueueMany("gated", jobs);
    w.handle("gated", gate::handle).start();
    eventually(running + " handlers running", () -> gate.runs.get() == running);
    return gate;
  }

  @Test
  void jobsFinishingTogetherAreCompletedInOneRequest() throws Exception {
    List<Integer> requests = completeRequests(body -> {});
    List<Integer> claims = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if ("claim".equals(ctx.message().headers().get("action")) && ctx.body() instanceof JsonObject body) {
        claims.add(body.getInteger("max"));
      }
      ctx.next();
    });
    Gate gate = gatedJobsRunning(80, worker(40), 40);

    // The second 40 find the gate open and finish as soon as they run.
    gate.open();
    eventually("all completed", () -> doneCount() == 80 && worker.running() == 0);
    assertEquals(List.of(40, 40), requests, "one complete with 40 items per claim");
    assertEquals(80, gate.runs.get(), "no job ran twice");
    assertEquals(40, claims.get(1), "the slots freed together are claimed together: " + claims);
    assertTrue(drained());
  }

  /**
   * A slot is free once its handler returns: the next jobs are claimed while the finished ones'
   * completions are still on their way, and jobs waiting for their completions' commit count
   * against a second set of slots, so that a store that does not commit holds the worker back.
   */
  @Test
  void theNextJobsAreClaimedWhileCompletionsCommit() throws Exception {
    List<DeliveryContext<?>> held = Collections.synchronizedList(new ArrayList<>());
    List<Integer> claims = Collections.synchronizedList(new ArrayList<>());
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      String action = ctx.message().headers().get("action");
      if ("claim".equals(action) && ctx.body() instanceof JsonObject body && Q.equals(body.getString("queue"))) {
        claims.add(body.getInteger("max"));
      }
      if ("complete".equals(action)) {
        held.add(ctx);
      } else {
        ctx.next();
      }
    });
    enqueueMany("quick", 120);
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<Context> workerContext = new AtomicReference<>();
    worker(40).handle("quick", job -> {
      workerContext.set(Vertx.currentContext());
      runs.incrementAndGet();
      return Future.succeededFuture();
    }).start();

    eventually("two claims' jobs handled", () -> runs.get() == 80);
    onContext(workerContext.get());
    onContext(workerContext.get());
    assertEquals(List.of(40, 40), claims, "the second claim went out before the first completions committed");
    assertEquals(2, held.size(), "one complete per claim, both held");
    assertEquals(80, worker.running(), "jobs wait for their completions' commit");

    List<DeliveryContext<?>> release = new ArrayList<>(held);
    held.clear();
    release.forEach(DeliveryContext::next);
    eventually("the last 40 handled", () -> runs.get() == 120);
    eventually("their complete sent", () -> held.size() == 1);
    held.forEach(DeliveryContext::next);
    eventually("all completed", () -> doneCount() == 120 && worker.running() == 0);
    assertEquals(120, runs.get(), "no job ran twice");
    assertTrue(drained());
  }

  /** Returns once the tasks queued on {@code context} before this call have run. */
  private static void onContext(Context context) throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    context.runOnContext(v -> ran.countDown());
    assertTrue(ran.await(15, TimeUnit.SECONDS));
  }

  @Test
  void aBatchHoldsAtMostMaxItems() throws Exception {
    List<Integer> requests = completeRequests(body -> {});
    Gate gate = gatedJobsRunning(40, worker(40).completionBatch(Duration.ofHours(1), 8), 40);

    gate.open();
    eventually("all completed", () -> doneCount() == 40 && worker.running() == 0);
    assertEquals(List.of(8, 8, 8, 8, 8), requests);
  }

  @Test
  void theWindowSendsFinishedJobsWhileOthersStillRun() throws Exception {
    List<Integer> requests = completeRequests(body -> {});
    Gate quick = new Gate();
    Gate held = new Gate();
    enqueueMany("quick", 3);
    enqueue("held", "h");
    worker(4).completionBatch(Duration.ofMillis(20), 100)
        .handle("quick", quick::handle).handle("held", held::handle).start();
    eventually("4 handlers running", () -> quick.runs.get() == 3 && held.runs.get() == 1);

    long windowEnds = clock.now() + 20;
    quick.open();
    // The held job keeps a handler running, so only the window's end sends the quick ones.
    clock.awaitTimerAt(windowEnds);
    assertEquals(List.of(), requests, "nothing is sent before the window ends");
    clock.advance(20);
    eventually("the quick jobs completed", () -> doneCount() == 3);
    assertEquals(List.of(3), requests);
    assertEquals(1, worker.running(), "the held job is still running");
    held.open();
    eventually("the held job completed", () -> doneCount() == 4 && worker.running() == 0);
    assertEquals(List.of(3, 1), requests);
  }

  @Test
  void stoppingSendsTheCompletionsGatheredInTheWindow() throws Exception {
    List<Integer> requests = completeRequests(body -> {});
    Gate quick = new Gate();
    Gate held = new Gate();
    enqueueMany("quick", 10);
    enqueue("held", "h");
    worker(11).completionBatch(Duration.ofHours(1), 100)
        .handle("quick", quick::handle).handle("held", held::handle).start();
    eventually("11 handlers running", () -> quick.runs.get() == 10 && held.runs.get() == 1);
    quick.open();
    assertEquals(0, doneCount(), "the finished jobs wait in the window while a handler runs");
    assertEquals(List.of(), requests);

    Future<Void> stopping = worker.stop(Duration.ofSeconds(10));
    eventually("the gathered completions sent", () -> doneCount() == 10);
    held.open();
    await(stopping);
    assertEquals(11, doneCount());
    assertEquals(List.of(10, 1), requests);
    assertTrue(drained());
  }

  @Test
  void aRefusedBatchIsCompletedJobByJob() throws Exception {
    AtomicBoolean refused = new AtomicBoolean();
    // The store refuses a batch naming one job twice (400): the first batch is made so.
    List<Integer> requests = completeRequests(body -> {
      JsonArray items = body.getJsonArray("items");
      if (items != null && refused.compareAndSet(false, true)) items.add(items.getJsonObject(0).copy());
    });
    Gate gate = gatedJobsRunning(20, worker(20), 20);

    gate.open();
    eventually("all completed", () -> doneCount() == 20 && worker.running() == 0);
    assertTrue(refused.get());
    assertEquals(21, requests.size(), "the refused batch, then one single complete per job: " + requests);
    assertEquals(20, requests.stream().filter(n -> n == 0).count());
    assertEquals(20, gate.runs.get(), "no job ran again after its lease");
    assertTrue(drained());
  }

  @Test
  void aCompletionAfterTheLeaseWasLostIsReportedStale() throws Exception {
    List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    Logger log = Logger.getLogger(QueueWorker.class.getName());
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        warnings.add(r.getMessage());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    log.addHandler(capture);
    try {
      Set<String> firstReceipt = ConcurrentHashMap.newKeySet();
      // The first run's lease is never extended, so it runs out while the handler still runs.
      vertx.eventBus().addOutboundInterceptor(ctx -> {
        if ("extend".equals(ctx.message().headers().get("action")) && ctx.body() instanceof JsonObject body
            && firstReceipt.contains(body.getString("receipt"))) {
          body.put("receipt", "lost");
        }
        ctx.next();
      });
      List<Integer> requests = completeRequests(body -> {});
      Gate gate = new Gate();
      AtomicLong firstId = new AtomicLong();
      worker(2).handle("twice", job -> {
        if (job.attempt() == 1) {
          firstReceipt.add(job.receipt());
          firstId.set(job.id());
        }
        return gate.handle(job);
      }).start();
      long leaseEnds = clock.now() + 400;
      enqueue("twice", 1);
      eventually("the job's first run started", () -> gate.runs.get() == 1);
      // The job comes back when its first lease (400 ms) ends; the worker's free slot, waiting in
      // its claim, takes it then.
      clock.awaitTimers(due -> due >= leaseEnds && due <= leaseEnds + 1, 1);
      clock.advance(401);
      eventually("the job's second run started", () -> gate.runs.get() == 2);

      gate.open();
      eventually("completed", () -> doneCount() == 1 && worker.running() == 0);
      assertEquals(List.of(1, 1), requests, "the two runs of one job go in separate requests");
      assertTrue(warnings.stream().anyMatch(w -> w.contains("reporting job " + firstId.get()) && w.contains("lease")),
          "the stale completion is logged: " + warnings);
    } finally {
      log.removeHandler(capture);
    }
  }

  @Test
  void registrationRules() {
    QueueWorker w = worker(1).handle("a", job -> Future.succeededFuture());
    assertThrows(IllegalArgumentException.class, () -> w.handle("a", job -> Future.succeededFuture()));
    assertThrows(IllegalArgumentException.class, () -> QueueWorker.create(vertx, client, Q, 0));
    assertThrows(IllegalArgumentException.class, () -> w.completionBatch(Duration.ZERO, 10));
    assertThrows(IllegalArgumentException.class, () -> w.completionBatch(Duration.ofMillis(2), 0));
    assertThrows(IllegalArgumentException.class, () -> w.completionBatch(Duration.ofMillis(2), 1001));
    w.start();
    assertThrows(IllegalStateException.class, () -> w.handle("b", job -> Future.succeededFuture()));
    assertThrows(IllegalStateException.class, () -> w.completionBatch(Duration.ofMillis(2), 10));
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
