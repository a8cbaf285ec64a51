package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.cli.BridgeClient;
import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.piri.db.support.ChildJvm;
import io.piri.db.support.Eventually;
import io.piri.db.support.TestBackend;
import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bulk operation survives a SIGKILL: a real server process is killed half way through a cancel
 * of 20 000 jobs. What it left is consistent (the operation's done equals the dead letters its
 * batches committed, every job is live or dead exactly once, the counters equal the rows), and
 * restarted, the server finishes the operation with every job cancelled exactly once.
 */
public abstract class BulkAfterSigkillTestBase extends KilledNodeTestBase {
  private static final int JOBS = 20_000;

  private Connection connect() throws SQLException {
    if (backend() == BackendType.SQLITE) return DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("data").resolve(StoreId.REPLICATOR.sqliteFile()));
    Connection c = TestPostgres.connect(postgresUrl());
    try (Statement s = c.createStatement()) {
      s.execute("SET search_path = " + StoreId.REPLICATOR.id());
    }
    return c;
  }

  private static long one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What the rows say: [live jobs, dead letters, distinct jobs among the dead, jobs both live and dead, the operation's done]. */
  private long[] rows() throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      return new long[] {
          one(s, "SELECT count(*) FROM job WHERE queue = '" + Q + "'"),
          one(s, "SELECT count(*) FROM job_dead WHERE queue = '" + Q + "'"),
          one(s, "SELECT count(DISTINCT job_id) FROM job_dead WHERE queue = '" + Q + "'"),
          one(s, "SELECT count(*) FROM job j JOIN job_dead d ON d.job_id = j.id"),
          one(s, "SELECT done FROM bulk_operation WHERE id = 1")};
    }
  }

  private void assertCountersEqualRows() throws SQLException {
    FullCount full = fullCount();
    JsonObject counters = full.counters(StoreId.REPLICATOR).get(Q);
    counters.remove("done");
    assertEquals(full.byState(StoreId.REPLICATOR).get(Q), counters, "the counters against the rows");
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aCancelKilledHalfWayFinishesAfterARestartWithEveryJobCancelledOnce() throws Exception {
    int port = TestBackend.freePort();
    Path cfg = config(port, new JsonObject().put("lease", "30s").put("max_attempts", 3));
    try (ChildJvm node = ChildJvm.serve(tmp, Map.of(), cfg)) {
      try (BridgeClient c = new BridgeClient("127.0.0.1", port, 30_000)) {
        for (int b = 0; b < JOBS / 1000; b++) {
          JsonArray jobs = new JsonArray();
          for (int i = 0; i < 1000; i++) jobs.add(new JsonObject().put("name", "j").put("payload", b * 1000 + i));
          c.request(ADDRESS, "enqueue-batch", new JsonObject().put("queue", Q).put("jobs", jobs));
        }
        JsonObject op = c.request(ADDRESS, "bulk-start", new JsonObject().put("queue", Q).put("op", "cancel"));
        assertEquals(1L, op.getLong("operation"));
        assertEquals(JOBS, op.getLong("matching"));
        Eventually.until("some batches done", () -> c.request(ADDRESS, "bulk-status", new JsonObject().put("operation", 1))
            .getLong("done") > 0);
      }
      node.kill();
    }

    long[] killed = rows();
    assertTrue(killed[4] > 0 && killed[4] < JOBS, "killed half way: done " + killed[4]);
    assertEquals(killed[4], killed[1], "done equals the dead letters the committed batches made");
    assertEquals(killed[1], killed[2], "no job dead twice");
    assertEquals(0, killed[3], "no job both live and dead");
    assertEquals(JOBS, killed[0] + killed[1], "every job live or dead");
    assertCountersEqualRows();

    try (ChildJvm node = ChildJvm.serve(tmp, Map.of(), cfg)) {
      try (BridgeClient c = new BridgeClient("127.0.0.1", port, 30_000)) {
        JsonObject[] st = new JsonObject[1];
        Eventually.until("the operation ends after the restart", Duration.ofMinutes(3),
            () -> (st[0] = c.request(ADDRESS, "bulk-status", new JsonObject().put("operation", 1))).getString("state").equals("done"));
        assertEquals(JOBS, st[0].getLong("done"));
        JsonObject stats = c.request(ADDRESS, "stats", new JsonObject().put("queue", Q)).getJsonObject("queues").getJsonObject(Q);
        assertEquals(JOBS, stats.getLong("dead"), stats.encode());
        assertEquals(0, stats.getLong("ready") + stats.getLong("scheduled") + stats.getLong("running"), stats.encode());
      }
      node.terminate();
      assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), "a clean stop");
    }
    long[] after = rows();
    assertEquals(0, after[0]);
    assertEquals(JOBS, after[1]);
    assertEquals(JOBS, after[2], "every job cancelled exactly once");
    assertEquals(JOBS, after[4]);
    assertCountersEqualRows();
  }
}
