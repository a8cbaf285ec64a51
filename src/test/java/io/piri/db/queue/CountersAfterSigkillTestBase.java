package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.cli.BridgeClient;
import io.piri.db.core.StoreId;
import io.piri.db.support.ChildJvm;
import io.piri.db.support.Eventually;
import io.piri.db.support.TestBackend;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The counters are exact after a SIGKILL: a real server process is killed while producers enqueue
 * (single, batched, delayed) and a claimer completes, fails, retries and leaves jobs leased; the
 * counter rows it left then equal the rows counted one by one, done lies between the completions
 * acknowledged and those sent, and after a restart stats says the same.
 */
public abstract class CountersAfterSigkillTestBase extends KilledNodeTestBase {
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void countersAreExactAfterSigkillAndRestart() throws Exception {
    int port = TestBackend.freePort();
    Path cfg = config(port, new JsonObject().put("lease", "2s").put("max_attempts", 3));
    AtomicBoolean load = new AtomicBoolean(true);
    AtomicLong enqueued = new AtomicLong();
    AtomicLong completeSent = new AtomicLong();
    AtomicLong completeAcked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> threads = new ArrayList<>();

    try (ChildJvm node = ChildJvm.serve(tmp, Map.of(), cfg)) {
      for (int p = 0; p < 3; p++) {
        int producer = p;
        threads.add(ChildJvm.clientThread(() -> {
          try (BridgeClient c = new BridgeClient("127.0.0.1", port, 5000)) {
            for (int n = 0; load.get(); n++) {
              if (n % 10 == 0) {
                JsonArray jobs = new JsonArray();
                for (int i = 0; i < 20; i++) jobs.add(new JsonObject().put("name", "b").put("payload", i).put("delay_ms", i % 4 == 0 ? 1_000 : 0));
                c.request(ADDRESS, "enqueue-batch", new JsonObject().put("queue", Q).put("jobs", jobs));
                enqueued.addAndGet(20);
              } else {
                c.request(ADDRESS, "enqueue", new JsonObject().put("queue", Q).put("name", "j").put("payload", n)
                    .put("delay_ms", producer == 0 && n % 3 == 0 ? 500 : 0));
                enqueued.incrementAndGet();
              }
            }
          }
        }));
      }
      threads.add(ChildJvm.clientThread(() -> {
        try (BridgeClient c = new BridgeClient("127.0.0.1", port, 5000)) {
          for (int round = 0; load.get(); round++) {
            JsonArray jobs = c.request(ADDRESS, "claim", new JsonObject().put("queue", Q).put("max", 12)).getJsonArray("jobs");
            JsonArray items = new JsonArray();
            for (int i = 0; i < jobs.size(); i++) {
              JsonObject j = jobs.getJsonObject(i);
              JsonObject held = new JsonObject().put("queue", Q).put("id", j.getLong("id")).put("receipt", j.getString("receipt"));
              switch (i % 6) {
                case 0 -> {
                  completeSent.incrementAndGet();
                  c.request(ADDRESS, "complete", held);
                  completeAcked.incrementAndGet();
                }
                case 1 -> items.add(new JsonObject().put("id", j.getLong("id")).put("receipt", j.getString("receipt")));
                case 2 -> c.request(ADDRESS, "fail", held.put("error", "e").put("retry_in_ms", 300));
                case 3 -> c.request(ADDRESS, "fail", held.put("error", "e").put("permanent", true));
                case 4 -> c.request(ADDRESS, "extend", held.put("lease_ms", 1_000));
                default -> { } // left leased: its lease runs out
              }
              if (i % 6 == 2 || i % 6 == 3) failed.incrementAndGet();
            }
            if (!items.isEmpty()) {
              completeSent.addAndGet(items.size());
              int n = c.request(ADDRESS, "complete", new JsonObject().put("queue", Q).put("items", items)).getInteger("completed");
              completeAcked.addAndGet(n);
            }
            if (round % 20 == 19) c.request(ADDRESS, "dead-requeue", new JsonObject().put("queue", Q).put("all", true));
          }
        }
      }));
      Eventually.until("load is running: jobs enqueued, completed and failed",
          () -> enqueued.get() > 500 && completeAcked.get() > 50 && failed.get() > 30);
      node.kill();
      load.set(false);
      for (Thread t : threads) t.join(10_000);
    }

    FullCount full = fullCount();
    JsonObject rows = full.byState(StoreId.REPLICATOR).get(Q);
    JsonObject counters = full.counters(StoreId.REPLICATOR).get(Q);
    long done = counters.getLong("done");
    counters.remove("done");
    assertEquals(rows, counters, "the counters the killed process left against its rows");
    assertTrue(done >= completeAcked.get() && done <= completeSent.get(),
        "done " + done + " lies between the completions acknowledged (" + completeAcked.get() + ") and sent (" + completeSent.get() + ")");

    // Restarted, the store writes what fell due meanwhile (leases, delays, retries, reaps), which
    // moves jobs between states but neither adds nor removes any; stopped, its counters still
    // equal its rows.
    try (ChildJvm node = ChildJvm.serve(tmp, Map.of(), cfg)) {
      try (BridgeClient c = new BridgeClient("127.0.0.1", port, 10_000)) {
        JsonObject stats = c.request(ADDRESS, "stats", new JsonObject().put("queue", Q)).getJsonObject("queues").getJsonObject(Q);
        assertEquals(done, stats.getLong("done"), stats.encode());
        assertEquals(jobs(rows), jobs(stats), "jobs live or dead: " + stats + " against " + rows);
      }
      node.terminate();
      assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), "a clean stop");
    }
    JsonObject after = full.counters(StoreId.REPLICATOR).get(Q);
    assertEquals(done, ((Number) after.remove("done")).longValue());
    assertEquals(full.byState(StoreId.REPLICATOR).get(Q), after, "the counters after the restart against the rows");
  }

  private static long jobs(JsonObject counts) {
    return counts.getLong("ready") + counts.getLong("scheduled") + counts.getLong("running") + counts.getLong("dead");
  }
}
