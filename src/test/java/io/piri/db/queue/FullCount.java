package io.piri.db.queue;

import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test-only: a queue store's jobs counted from its tables the slow way, by the state each job row
 * holds and the dead-letter rows, to hold the store's counters against; and the counter rows
 * themselves, summed as {@code stats} sums them, for when no server is running.
 */
public record FullCount(BackendType backend, Path dataDir, String postgresUrl) {
  /** Per queue with any live or dead job: {ready, scheduled, running, dead}. */
  public Map<String, JsonObject> byState(StoreId store) throws SQLException {
    Map<String, JsonObject> out = new TreeMap<>();
    try (Connection c = connect(store); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT queue, state, count(*) FROM job GROUP BY queue, state")) {
        while (rs.next()) entry(out, rs.getString(1)).put(rs.getString(2), rs.getLong(3));
      }
      try (ResultSet rs = s.executeQuery("SELECT queue, count(*) FROM job_dead GROUP BY queue")) {
        while (rs.next()) entry(out, rs.getString(1)).put("dead", rs.getLong(2));
      }
    }
    return out;
  }

  /** Per queue with counter rows: the sum of each state's rows over the shards (done included). */
  public Map<String, JsonObject> counters(StoreId store) throws SQLException {
    Map<String, JsonObject> out = new TreeMap<>();
    try (Connection c = connect(store); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT queue, state, sum(n) FROM queue_counter GROUP BY queue, state")) {
      while (rs.next()) entry(out, rs.getString(1)).put(rs.getString(2), rs.getLong(3));
    }
    return out;
  }

  /**
   * Jobs of the store whose state time has changed by {@code now} without the change written:
   * scheduled with run_at passed, running with the lease over (a last attempt's lease is over only
   * after its end, when the reaper takes it).
   */
  public long overdue(StoreId store, long now) throws SQLException {
    try (Connection c = connect(store); PreparedStatement ps = c.prepareStatement(
        "SELECT count(*) FROM job WHERE (state = 'scheduled' AND run_at <= ?)"
            + " OR (state = 'running' AND (run_at < ? OR (run_at = ? AND attempts < max_attempts)))")) {
      ps.setLong(1, now);
      ps.setLong(2, now);
      ps.setLong(3, now);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Recorded deliveries whose job is neither live nor dead-lettered: left behind when their job went. */
  public long orphanDeliveries(StoreId store) throws SQLException {
    try (Connection c = connect(store); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT count(*) FROM job_attempt a WHERE NOT EXISTS (SELECT 1 FROM job j WHERE j.id = a.job_id)"
            + " AND NOT EXISTS (SELECT 1 FROM job_dead d WHERE d.job_id = a.job_id)")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static JsonObject entry(Map<String, JsonObject> out, String queue) {
    return out.computeIfAbsent(queue, q -> new JsonObject().put("ready", 0L).put("scheduled", 0L).put("running", 0L).put("dead", 0L));
  }

  private Connection connect(StoreId store) throws SQLException {
    if (backend == BackendType.SQLITE) {
      return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(store.sqliteFile()));
    }
    Connection c = TestPostgres.connect(postgresUrl);
    try (Statement s = c.createStatement()) {
      s.execute("SET search_path = " + store.id());
    }
    return c;
  }
}
