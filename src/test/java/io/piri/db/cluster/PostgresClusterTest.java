package io.piri.db.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.piri.db.client.QueueClient;
import io.piri.db.client.QueueWorker;
import io.piri.db.config.BackendType;
import io.piri.db.support.Eventually;
import io.piri.db.support.TestClock;
import io.piri.db.support.TestCluster;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two PostgreSQL instances sharing one database, each in its own clustered Vert.x (members 0 and
 * 1), plus a member without stores (2) that only sends: the stores' addresses exist twice and the
 * clustered bus spreads requests among them. One cluster for the whole class: cluster starts
 * are slow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresClusterTest {
  @TempDir static Path tmp;
  private TestCluster cluster;
  private Vertx a;
  private Vertx b;
  private Vertx client;
  /** Both instances' time: claims wait until woken, never until a deadline the test did not move to. */
  private final TestClock clock = new TestClock();

  @BeforeAll
  void startCluster() throws Exception {
    String url = TestPostgres.newDatabase();
    cluster = new TestCluster(3);
    a = cluster.start(0);
    b = cluster.start(1);
    client = cluster.start(2);
    cluster.serve(a, cluster.node(0, true, tmp.resolve("a"), BackendType.POSTGRES, url), clock);
    cluster.serve(b, cluster.node(1, true, tmp.resolve("b"), BackendType.POSTGRES, url), clock);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void workersOnBothInstancesCompleteEveryJobExactlyOnce() throws Exception {
    String queue = "compute_commp";
    int jobs = 400;
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perWorker = new ConcurrentHashMap<>();
    List<QueueWorker> workers = new ArrayList<>();
    for (Vertx v : List.of(a, b)) {
      String who = v == a ? "a" : "b";
      for (int w = 0; w < 2; w++) {
        QueueWorker worker = QueueWorker.create(v, clock, new QueueClient(v, StoreId.AGGREGATOR.address()), queue, 8)
            .handle("commp", job -> {
              runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
              perWorker.computeIfAbsent(who, k -> new AtomicInteger()).incrementAndGet();
              return Future.succeededFuture();
            });
        worker.start();
        workers.add(worker);
      }
    }
    // Producers on the client member and on both instances: every enqueue is spread too.
    List<Future<Long>> ids = new ArrayList<>();
    List<Vertx> producers = List.of(client, a, b);
    for (int i = 0; i < jobs; i++) {
      Vertx v = producers.get(i % 3);
      ids.add(new QueueClient(v, StoreId.AGGREGATOR.address()).enqueue(queue, "commp", new JsonObject().put("i", i)));
    }
    Future.all(ids).await(60, TimeUnit.SECONDS);
    Eventually.until("every job ran", () -> runs.size() == jobs);
    for (QueueWorker w : workers) w.stop(Duration.ofSeconds(10)).await(15, TimeUnit.SECONDS);
    // Each instance counts the completions it has not flushed yet; past the flush, all of them.
    clock.advance(1_001);
    QueueClient stats = new QueueClient(client, StoreId.AGGREGATOR.address());
    JsonObject[] last = new JsonObject[1];
    Eventually.until("every completion is counted", () ->
        (last[0] = stats.stats(queue).await(10, TimeUnit.SECONDS).getJsonObject(queue)).getLong("done") == jobs);
    JsonObject s = last[0];

    assertEquals(jobs, s.getLong("done"), "stats " + s);
    assertEquals(0, s.getLong("ready") + s.getLong("running") + s.getLong("scheduled") + s.getLong("dead"), "stats " + s);
    assertEquals(jobs, runs.size());
    runs.forEach((id, n) -> assertEquals(1, n.get(), "job " + id + " ran " + n.get() + " times"));
    for (Future<Long> id : ids) assertTrue(runs.containsKey(id.result()), "job " + id.result() + " never ran");
    System.out.println("jobs handled per instance's workers: " + perWorker);
  }

  @Test
  void waitingClaimOnOneInstanceWakesForAJobEnqueuedOnTheOther() throws Exception {
    String queue = "egress-tracker";
    // local-only sends pin the claim to instance a and the enqueue to instance b: only
    // PostgreSQL's NOTIFY can carry the news from one to the other.
    DeliveryOptions claimOpts = new DeliveryOptions().setLocalOnly(true).setSendTimeout(30_000)
        .addHeader(ActionRouter.ACTION_HEADER, "claim");
    long deadline = clock.now() + 20_000;
    int waitingBefore = clock.count(d -> d == deadline);
    Future<JsonObject> claim = a.eventBus().<JsonObject>request(StoreId.EGRESS_TRACKER.address(),
        new JsonObject().put("queue", queue).put("max", 1).put("wait_ms", 20_000), claimOpts).map(m -> m.body());
    clock.awaitTimers(d -> d == deadline, waitingBefore + 1); // the claim waits before the job exists
    JsonObject id = b.eventBus().<JsonObject>request(StoreId.EGRESS_TRACKER.address(),
            new JsonObject().put("queue", queue).put("name", "track").put("payload", new JsonObject()),
            new DeliveryOptions().setLocalOnly(true).addHeader(ActionRouter.ACTION_HEADER, "enqueue"))
        .map(m -> m.body()).await(10, TimeUnit.SECONDS);
    // The clock stood still, so the claim's deadline did not answer it: the notification did.
    JsonObject got = claim.await(25, TimeUnit.SECONDS);
    assertEquals(1, got.getJsonArray("jobs").size(), got.encode());
    assertEquals(id.getLong("id"), got.getJsonArray("jobs").getJsonObject(0).getLong("id"));
  }

  /** A member without stores reaches every store across the cluster, and is answered as a local caller is. */
  @Test
  void requestsFromAMemberWithoutStoresAreAnsweredAsLocalOnes() throws Exception {
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).addHeader(ActionRouter.ACTION_HEADER, "ping");
    DeliveryOptions any = new DeliveryOptions().addHeader(ActionRouter.ACTION_HEADER, "ping");
    for (StoreId store : StoreId.values()) {
      JsonObject here = a.eventBus().<JsonObject>request(store.address(), new JsonObject(), local).await(10, TimeUnit.SECONDS).body();
      assertEquals(store.id(), here.getString("store"));
      assertEquals("postgres", here.getString("backend"));
      for (int i = 0; i < 20; i++) {
        JsonObject remote = client.eventBus().<JsonObject>request(store.address(), new JsonObject(), any)
            .await(10, TimeUnit.SECONDS).body();
        assertEquals(here, remote, "ping " + i + " of " + store.id() + " from the member without stores");
      }
    }
  }
}
