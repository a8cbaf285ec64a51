package io.piri.db.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.client.QueueClient;
import io.piri.db.client.QueueWorker;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.PiriConfig;
import io.piri.db.server.PiriServer;
import io.piri.db.support.Eventually;
import io.piri.db.support.TestCluster;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
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
 * SQLite in a cluster: member 0 owns {@code data_dir} and serves the stores; member 1 runs with
 * {@code cluster.stores} false (no lock, no database, no files) and reaches them over the bus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteClusterTest {
  @TempDir static Path tmp;
  private TestCluster cluster;
  private Vertx member;
  private PiriServer memberServer;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = new TestCluster(2);
    cluster.startSqliteOwner(tmp.resolve("owner"));
    member = cluster.start(1);
    memberServer = cluster.serve(member, config(1, false, tmp.resolve("member")));
  }

  private PiriConfig config(int i, boolean stores, Path dataDir) {
    return cluster.node(i, stores, dataDir, BackendType.SQLITE, null);
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) cluster.close();
  }

  @Test
  void memberWithoutStoresTouchesNoDataDirAndReportsTheRemoteBackend() {
    assertFalse(Files.exists(tmp.resolve("member")), "a member without stores creates nothing");
    assertTrue(Files.exists(tmp.resolve("owner").resolve("piri-db.lock")));
    assertTrue(memberServer.readyLine().startsWith("piri-db ready backend=sqlite "), memberServer.readyLine());
  }

  @Test
  void producerAndWorkerOnTheMemberRunEveryJobOnce() throws Exception {
    String queue = "replication";
    int jobs = 200;
    QueueClient replicator = new QueueClient(member, StoreId.REPLICATOR.address());
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    QueueWorker worker = QueueWorker.create(member, replicator, queue, 16)
        .handle("transfer-task", job -> {
          runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
          return Future.succeededFuture();
        });
    worker.start();
    List<Future<Long>> ids = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      ids.add(replicator.enqueue(queue, "transfer-task", new JsonObject().put("blob", "b" + i)));
    }
    Future.all(ids).await(60, TimeUnit.SECONDS);
    JsonObject[] last = new JsonObject[1];
    Eventually.until("every job done", () ->
        (last[0] = replicator.stats(queue).await(10, TimeUnit.SECONDS).getJsonObject(queue)).getLong("done") >= jobs);
    JsonObject s = last[0];
    worker.stop(Duration.ofSeconds(10)).await(15, TimeUnit.SECONDS);
    assertEquals(jobs, s.getLong("done"), "stats " + s);
    assertEquals(jobs, runs.size());
    runs.forEach((id, n) -> assertEquals(1, n.get(), "job " + id + " ran " + n.get() + " times"));
  }

  @Test
  void aSecondSqliteOwnerInTheClusterIsRefused() {
    // Another data_dir, so the data_dir lock cannot see it: only the cluster check can.
    Path other = tmp.resolve("second-owner");
    ExitException e = assertThrows(ExitException.class,
        () -> PiriServer.start(member, config(1, true, other)).await(60, TimeUnit.SECONDS));
    assertEquals(ExitException.BAD_CONFIG, e.exitCode());
    assertTrue(e.getMessage().startsWith(ConfigKeys.CLUSTER_STORES + ":"), e.getMessage());
    assertTrue(e.getMessage().contains("backend sqlite"), e.getMessage());
    assertFalse(Files.exists(other.resolve("replicator")), "the refused owner created no store file");
  }

  @Test
  void aSecondOwnerOfTheSameDataDirIsRefusedByTheLock() {
    ExitException e = assertThrows(ExitException.class,
        () -> PiriServer.start(member, config(1, true, tmp.resolve("owner"))).await(60, TimeUnit.SECONDS));
    assertEquals(ExitException.BAD_CONFIG, e.exitCode());
  }
}
