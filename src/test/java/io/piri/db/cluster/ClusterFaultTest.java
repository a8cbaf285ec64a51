package io.piri.db.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.piri.db.core.StoreId;
import io.piri.db.client.Job;
import io.piri.db.client.QueueClient;
import io.piri.db.client.QueueWorker;
import io.piri.db.client.StoreException;
import io.piri.db.support.ChildJvm;
import io.piri.db.support.Eventually;
import io.piri.db.support.TestBackend;
import io.piri.db.support.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Members killed with SIGKILL, in real processes: member 0 is {@code piri-db serve} owning a
 * SQLite data_dir, member 1 is this JVM (a client member), member 2 the example worker process.
 * A killed worker's leased jobs come back to a survivor; a killed owner fails the requests in
 * flight with 503, loses nothing acknowledged, and rejoins when started again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultTest {
  private static final Duration READY = Duration.ofSeconds(90);

  @TempDir static Path tmp;
  private TestCluster cluster;
  private ChildJvm owner;
  private Path ownerConfig;
  private Vertx member;

  @BeforeAll
  void start() throws Exception {
    cluster = new TestCluster(3);
    ownerConfig = tmp.resolve("owner.json");
    Files.writeString(ownerConfig, new JsonObject()
        .put("repo", new JsonObject().put("data_dir", tmp.resolve("data").toString()))
        .put("bridge", new JsonObject().put("port", TestBackend.freePort())).encodePrettily());
    owner = startOwner();
    member = cluster.start(1);
  }

  private ChildJvm startOwner() throws Exception {
    Map<String, String> env = cluster.env(0, true); // first: it may make the key material
    long t0 = System.nanoTime();
    ChildJvm p = ChildJvm.serve(tmp, env, ownerConfig);
    assertTrue(p.readyLine().startsWith("piri-db ready backend=sqlite"), p.readyLine());
    System.out.printf("owner process ready (JVM start, cluster join, stores) in %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return p;
  }

  @AfterAll
  void stop() throws Exception {
    if (owner != null) owner.close();
    if (cluster != null) cluster.close();
  }

  @Test
  @Order(1)
  void jobsLeasedByAKilledWorkerProcessAreRedeliveredToTheSurvivor() throws Exception {
    String queue = "replication";
    int jobs = 10;
    Map<String, String> env = new HashMap<>(cluster.env(2, false));
    try (ChildJvm worker = ChildJvm.start(tmp, env, "io.piri.db.examples.cluster.ExampleMain", "worker", "32", "600000")) {
      worker.awaitLine(l -> l.equals("worker ready"), READY);
      QueueClient replicator = new QueueClient(member, StoreId.REPLICATOR.address());
      for (int i = 0; i < jobs; i++) {
        replicator.enqueue(queue, "transfer-task", new JsonObject().put("blob", "k" + i)).await(30, TimeUnit.SECONDS);
      }
      // The example worker holds every job (its handler takes 10 minutes) and extends the leases.
      eventually("the worker process holds every job", () -> worker.count(l -> l.startsWith("handling ")) == jobs);
      assertEquals(jobs, stats(replicator, queue).getLong("running"));
      worker.kill();
    }
    long killed = System.nanoTime();
    QueueClient replicator = new QueueClient(member, StoreId.REPLICATOR.address());
    Map<Long, Job> survivor = new ConcurrentHashMap<>();
    QueueWorker w = QueueWorker.create(member, replicator, queue, 16).handle("transfer-task", job -> {
      survivor.put(job.id(), job);
      return Future.succeededFuture();
    });
    w.start();
    eventually("every job done by the survivor", () -> survivor.size() == jobs
        && stats(replicator, queue).getLong("done") == jobs);
    System.out.printf("leased jobs of the killed worker redelivered and done in %d ms (lease 5s)%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    w.stop(Duration.ofSeconds(10)).await(15, TimeUnit.SECONDS);
    System.out.println("attempts of the redelivered jobs: "
        + survivor.values().stream().map(j -> j.id() + "=" + j.attempt()).toList());
    survivor.values().forEach(j -> assertTrue(j.attempt() >= 2, "job " + j.id() + " is a redelivery"));
  }

  @Test
  @Order(2)
  void killedOwnerFailsRequestsInFlightLosesNothingAndRejoins() throws Exception {
    // A short client timeout: a request whose store died never gets a reply, only its timeout.
    QueueClient egress = new QueueClient(member, StoreId.EGRESS_TRACKER.address(), 1_000);
    long kept = egress.enqueue("egress-tracker", "track", new JsonObject().put("n", 1)).await(30, TimeUnit.SECONDS);

    QueueClient aggregator = new QueueClient(member, StoreId.AGGREGATOR.address(), 1_000);
    Future<List<Job>> inFlight = aggregator.claim("manager", 1, 0, 5_000); // waits in the owner: nothing queued
    // The owner is another process: nothing tells this one that the claim has reached it and waits there.
    Thread.sleep(500);
    owner.kill();
    long killed = System.nanoTime();
    StoreException e = failure(inFlight);
    System.out.printf("claim in flight on the killed owner failed after %d ms: %s%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed), e.getMessage());
    assertEquals(503, e.code());
    StoreException later = failure(egress.stats(null));
    assertEquals(503, later.code());
    System.out.printf("request sent after the kill: %s (%d ms after the kill)%n", later.getMessage(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

    owner = startOwner(); // same data_dir, same member port
    // The owner's ready line means its stores listen; this member learns of them when the cluster's
    // subscription view reaches it, a moment later.
    eventually("this member sees the restarted owner's stores", () -> reachable(egress));
    List<Job> got = egress.claim("egress-tracker", 10, 0, 0).await(30, TimeUnit.SECONDS);
    assertEquals(List.of(kept), got.stream().map(Job::id).toList(), "the acknowledged job survived the kill");
  }

  private static StoreException failure(Future<?> f) throws Exception {
    try {
      f.await(60, TimeUnit.SECONDS);
    } catch (StoreException e) {
      return e;
    }
    return fail("expected a failure");
  }

  private static boolean reachable(QueueClient c) throws Exception {
    try {
      c.stats(null).await(10, TimeUnit.SECONDS);
      return true;
    } catch (StoreException e) {
      if (e.unavailable()) return false;
      throw e;
    }
  }

  private static JsonObject stats(QueueClient c, String queue) {
    try {
      return c.stats(queue).await(10, TimeUnit.SECONDS).getJsonObject(queue);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void eventually(String what, Eventually.Check check) {
    Eventually.until(what, check);
  }
}
