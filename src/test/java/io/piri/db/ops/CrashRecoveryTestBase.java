package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.cli.BridgeClient;
import io.piri.db.support.ChildJvm;
import io.piri.db.support.Eventually;
import io.piri.db.support.NodeConfigFile;
import io.piri.db.support.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL under load, then a restart: every enqueue that got a reply is still there (or was
 * completed), and jobs that were leased when the process died come back after their lease.
 */
public abstract class CrashRecoveryTestBase {
  private static final String Q = "crash";
  @TempDir Path tmp;

  /** The repo.database section of the node's configuration. */
  protected abstract JsonObject database();

  private Path config(int bridgePort) throws Exception {
    return NodeConfigFile.write(tmp, NodeConfigFile.of(tmp, database(), bridgePort)
        .put("queues", new JsonObject().put(Q, new JsonObject().put("store", "replicator").put("lease", "2s"))));
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void acknowledgedJobsSurviveSigkillAndLeasesComeBack() throws Exception {
    int port = TestBackend.freePort();
    Path cfg = config(port);
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    Set<Integer> completed = ConcurrentHashMap.newKeySet();
    Set<Integer> leased = ConcurrentHashMap.newKeySet();
    AtomicBoolean load = new AtomicBoolean(true);
    AtomicInteger next = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();

    try (ChildJvm node = ChildJvm.serve(tmp, Map.of(), cfg)) {
      for (int p = 0; p < 4; p++) {
        threads.add(ChildJvm.clientThread(() -> {
          try (BridgeClient c = new BridgeClient("127.0.0.1", port, 5000)) {
            while (load.get()) {
              int id = next.incrementAndGet();
              c.request("piri.db.replicator", "enqueue", new JsonObject().put("queue", Q).put("name", "j").put("payload", id));
              acked.add(id);
            }
          }
        }));
      }
      threads.add(ChildJvm.clientThread(() -> {
        try (BridgeClient c = new BridgeClient("127.0.0.1", port, 5000)) {
          while (load.get()) {
            JsonArray jobs = c.request("piri.db.replicator", "claim", new JsonObject().put("queue", Q).put("max", 10))
                .getJsonArray("jobs");
            for (int i = 0; i < jobs.size(); i++) {
              JsonObject j = jobs.getJsonObject(i);
              int id = j.getInteger("payload");
              if (id % 2 == 0) {
                leased.add(id);
                continue;
              }
              c.request("piri.db.replicator", "complete", new JsonObject().put("queue", Q).put("id", j.getLong("id"))
                  .put("receipt", j.getString("receipt")));
              completed.add(id);
            }
          }
        }
      }));
      Eventually.until("load is running: enqueues acknowledged, jobs leased", () -> acked.size() > 200 && leased.size() > 10);
      node.kill();
      load.set(false);
      for (Thread t : threads) t.join(10_000);
    }
    assertTrue(acked.size() > 50, "load ran: " + acked.size() + " enqueues acknowledged");
    assertTrue(!leased.isEmpty(), "some jobs were leased when the node died");

    try (ChildJvm node = ChildJvm.serve(tmp, Map.of(), cfg); BridgeClient c = new BridgeClient("127.0.0.1", port, 10_000)) {
      // Waiting claims take what is ready, then what the dead node's leases (2 s) give back as they
      // run out, until a wait longer than a lease brings nothing.
      Set<Integer> found = new HashSet<>();
      while (true) {
        JsonArray jobs = c.request("piri.db.replicator", "claim", new JsonObject().put("queue", Q).put("max", 1000)
            .put("wait_ms", 3_000)).getJsonArray("jobs");
        if (jobs.isEmpty()) break;
        for (int i = 0; i < jobs.size(); i++) found.add(jobs.getJsonObject(i).getInteger("payload"));
      }
      for (int id : acked) {
        assertTrue(found.contains(id) || completed.contains(id), "acknowledged job " + id + " was lost");
      }
      assertTrue(found.containsAll(leased), "every job leased at the crash came back");
    }
  }
}
