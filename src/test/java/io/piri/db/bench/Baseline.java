package io.piri.db.bench;

import io.piri.db.core.StoreId;
import io.piri.db.backend.Migrations;
import io.piri.db.config.PostgresUrl;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The engine's own limit for the cycle's work: raw JDBC on one thread, no server. Batched
 * inserts of N jobs, then claim-by-update of up to 100 rows and their delete, one transaction
 * per round, on the same table and index the server uses (and no counters).
 */
final class Baseline {
  private Baseline() {}

  static double sqlite(Path file, int n) throws Exception {
    Properties p = new Properties();
    p.setProperty("journal_mode", "WAL");
    p.setProperty("synchronous", "NORMAL");
    p.setProperty("busy_timeout", "5000");
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    Migrations.migrate("sqlite", StoreId.REPLICATOR, url, p, null);
    try (Connection c = DriverManager.getConnection(url, p)) {
      return run(c, n, "?", "lower(hex(randomblob(8)))", false);
    }
  }

  static double postgres(String pgUrl, int n) throws Exception {
    Properties p = PostgresUrl.credentials(pgUrl);
    String url = PostgresUrl.jdbcUrl(pgUrl);
    Migrations.migrate("postgres", StoreId.REPLICATOR, url, p, "baseline");
    try (Connection c = DriverManager.getConnection(url, p)) {
      try (Statement s = c.createStatement()) {
        s.execute("SET search_path = baseline");
      }
      return run(c, n, "?", "md5(random()::text)", true);
    }
  }

  private static double run(Connection c, int n, String ph, String receipt, boolean skipLocked) throws Exception {
    c.setAutoCommit(false);
    byte[] payload = "{\"blob\":\"bafy-baseline-job\"}".getBytes();
    long start = System.nanoTime();
    try (PreparedStatement ins = c.prepareStatement("INSERT INTO job (queue, name, payload, is_json, enqueued_at, run_at, max_attempts, state) "
        + "VALUES ('bench', 'job', ?, 1, ?, ?, 10, 'ready')")) {
      for (int i = 0; i < n; i++) {
        long now = System.currentTimeMillis();
        ins.setBytes(1, payload);
        ins.setLong(2, now);
        ins.setLong(3, now);
        ins.addBatch();
        if ((i + 1) % 1000 == 0 || i == n - 1) {
          ins.executeBatch();
          c.commit();
        }
      }
    }
    // Fresh statistics, as a server that has run for a while has them: without them PostgreSQL
    // plans the claim as a scan of the whole table.
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE job");
    }
    c.commit();
    // The same claim of ready jobs the server makes (sql/<dialect>/queue.sql), with a fixed batch
    // of 100; without the counters the server also keeps, which are part of what the ratio shows.
    String claim = "UPDATE job SET state = 'running', attempts = attempts + 1, run_at = ?, receipt = " + receipt
        + (skipLocked ? " WHERE id = ANY (ARRAY (" : " WHERE id IN (")
        + "SELECT id FROM job WHERE queue = 'bench' AND state = 'ready' AND run_at <= ? AND attempts < max_attempts"
        + " ORDER BY run_at, id LIMIT 100" + (skipLocked ? " FOR UPDATE SKIP LOCKED))" : ")") + " RETURNING id";
    int done = 0;
    try (PreparedStatement cl = c.prepareStatement(claim);
         PreparedStatement del = c.prepareStatement("DELETE FROM job WHERE id = ?")) {
      while (done < n) {
        long now = System.currentTimeMillis();
        cl.setLong(1, now + 30_000);
        cl.setLong(2, now);
        List<Long> ids = new ArrayList<>();
        try (ResultSet rs = cl.executeQuery()) {
          while (rs.next()) ids.add(rs.getLong(1));
        }
        for (long id : ids) {
          del.setLong(1, id);
          del.addBatch();
        }
        del.executeBatch();
        c.commit();
        if (ids.isEmpty()) throw new IllegalStateException("baseline ran dry at " + done + " of " + n);
        done += ids.size();
      }
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }
}
