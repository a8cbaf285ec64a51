package io.piri.db.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.piri.db.client.QueueClient;
import io.piri.db.client.QueueWorker;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.server.PiriServer;
import io.piri.db.support.TestBackend;
import io.piri.db.support.TestCluster;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
  private final List<PiriServer> servers = new ArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    String url = TestPostgres.newDatabase();
    cluster = new TestCluster(3);
    a = cluster.start(0);
    b = cluster.start(1);
    client = cluster.start(2);
    servers.add(PiriServer.start(a, config(0, url, "a")).await(120, TimeUnit.SECONDS));
    servers.add(PiriServer.start(b, config(1, url, "b")).await(120, TimeUnit.SECONDS));
  }

  private PiriConfig config(int member, String url, String dir) {
    return TestBackend.base().with(tmp.resolve(dir), BackendType.POSTGRES, url)
        .withBridgePort(TestBackend.freePort()).withCluster(cluster.member(member, true));
  }

  @AfterAll
  void stopCluster() {
    for (PiriServer s : servers) {
      try {
        s.stop().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("stopping a server failed: " + e);
      }
    }
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
        QueueWorker worker = QueueWorker.create(v, new QueueClient(v, StoreId.AGGREGATOR.address()), queue, 8)
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
    QueueClient stats = new QueueClient(client, StoreId.AGGREGATOR.address());
    long end = System.currentTimeMillis() + 60_000;
    JsonObject s;
    do {
      Thread.sleep(50);
      s = stats.stats(queue).await(10, TimeUnit.SECONDS).getJsonObject(queue);
    } while (s.getLong("done") < jobs && System.currentTimeMillis() < end);
    for (QueueWorker w : workers) w.stop(Duration.ofSeconds(10)).await(15, TimeUnit.SECONDS);

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
    long t0 = System.nanoTime();
    Future<JsonObject> claim = a.eventBus().<JsonObject>request(StoreId.EGRESS_TRACKER.address(),
        new JsonObject().put("queue", queue).put("max", 1).put("wait_ms", 20_000), claimOpts).map(m -> m.body());
    Thread.sleep(300); // let the claim start waiting before the job exists
    assertTrue(!claim.isComplete(), "the claim must be waiting");
    long enqueued = System.nanoTime();
    JsonObject id = b.eventBus().<JsonObject>request(StoreId.EGRESS_TRACKER.address(),
            new JsonObject().put("queue", queue).put("name", "track").put("payload", new JsonObject()),
            new DeliveryOptions().setLocalOnly(true).addHeader(ActionRouter.ACTION_HEADER, "enqueue"))
        .map(m -> m.body()).await(10, TimeUnit.SECONDS);
    JsonObject got = claim.await(25, TimeUnit.SECONDS);
    long wokeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - enqueued);
    assertEquals(1, got.getJsonArray("jobs").size(), got.encode());
    assertEquals(id.getLong("id"), got.getJsonArray("jobs").getJsonObject(0).getLong("id"));
    assertTrue(wokeMs < 10_000, "woke after " + wokeMs + " ms; the claim's own deadline was 20 s");
    System.out.printf("claim on instance a woke %d ms after the enqueue on instance b (waited %d ms in all)%n",
        wokeMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  /** Measures, and only prints, what a request that crosses the cluster costs over a local one. */
  @Test
  void crossClusterLatency() throws Exception {
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true).addHeader(ActionRouter.ACTION_HEADER, "ping");
    DeliveryOptions any = new DeliveryOptions().addHeader(ActionRouter.ACTION_HEADER, "ping");
    ping(a, local, 300); // warm up both paths
    ping(client, any, 300);
    long[] localUs = ping(a, local, 1000);
    long[] remoteUs = ping(client, any, 1000);
    System.out.printf("ping latency, local (member a to its own store): p50 %d us, p99 %d us%n",
        pct(localUs, 50), pct(localUs, 99));
    System.out.printf("ping latency, across the cluster (member without stores): p50 %d us, p99 %d us%n",
        pct(remoteUs, 50), pct(remoteUs, 99));
    System.out.printf("extra latency of a request that crosses the cluster: p50 %d us%n",
        pct(remoteUs, 50) - pct(localUs, 50));
  }

  private static long[] ping(Vertx from, DeliveryOptions opts, int n) throws Exception {
    long[] us = new long[n];
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      from.eventBus().request(StoreId.SCHEDULER.address(), new JsonObject(), opts).await(10, TimeUnit.SECONDS);
      us[i] = (System.nanoTime() - t) / 1000;
    }
    Arrays.sort(us);
    return us;
  }

  private static long pct(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }
}
