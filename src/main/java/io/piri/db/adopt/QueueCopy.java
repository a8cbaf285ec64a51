package io.piri.db.adopt;

import io.piri.db.backend.Statements;
import io.piri.db.config.QueueConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Carries a queue store's jobs from Piri's classic and dedup queues (piri-jobqueue.md 2, 3) into
 * piri-db's job tables, streaming each table in Piri's claim order. A live job keeps its queue,
 * job name, payload (the envelope's message), attempts and the time it may run:
 * <ul>
 *   <li>visible in Piri: ready, claimable now, in Piri's order (oldest created first);
 *   <li>not yet visible, never delivered: scheduled for Piri's time;
 *   <li>not yet visible, delivered: in flight, leased until Piri's timeout, then claimable again,
 *       or dead-lettered by the store's reaper if that was its last attempt;
 *   <li>visible but delivered its maximum number of times: Piri would never touch it again, so
 *       it goes to the dead-letter queue with reason {@code max_attempts}.
 * </ul>
 * Dedupe keys are stored as piri-db computes them for an enqueue whose {@code dedupe_key} is
 * Piri's key (the lowercase hex SHA-256 of the payload), so that the same payload sent that way
 * after adoption is a duplicate exactly when Piri would have skipped it.
 */
final class QueueCopy {
  static final String IN_FLIGHT_RECEIPT = "adopted";
  private static final int FETCH = 1000;

  /** Where rows go: the store's tables, or nowhere on a dry run. */
  interface Sink {
    void live(String queue, String name, byte[] payload, byte[] key, long enqueuedAt, long runAt, int attempts,
              int maxAttempts, String receipt) throws SQLException;

    void dead(long jobId, String queue, String name, byte[] payload, byte[] key, long enqueuedAt, int attempts,
              String reason, String error, long failedAt) throws SQLException;

    void done(String queue, String name, byte[] key, int status, long doneAt) throws SQLException;

    void flush() throws SQLException;
  }

  static final Sink NOWHERE = new Sink() {
    @Override
    public void live(String q, String n, byte[] p, byte[] k, long e, long r, int a, int m, String rc) {}

    @Override
    public void dead(long id, String q, String n, byte[] p, byte[] k, long e, int a, String rs, String er, long f) {}

    @Override
    public void done(String q, String n, byte[] k, int s, long d) {}

    @Override
    public void flush() {}
  };

  private final Statements sql;
  private final Map<String, QueueConfig> queues;
  private final long now;
  final Count jobs = new Count();
  final Count dead = new Count();
  final Count done = new Count();
  /** Rows written: the counts the store's tables must show afterwards. */
  long liveRows;
  long deadRows;
  long doneRows;
  /** Done keys of dedupe jobs dead-lettered here, at most this many more (an existing key wins). */
  long doneExtra;

  QueueCopy(Statements sql, Map<String, QueueConfig> queues, long now) {
    this.sql = sql;
    this.queues = queues;
    this.now = now;
  }

  /** Queues with jobs or dead letters in Piri's tables that this store has no configuration for. */
  List<String> foreignQueues(Connection c, Set<PiriLayout.Group> groups) throws SQLException {
    Map<String, Long> foreign = new TreeMap<>();
    for (PiriLayout.Group g : groups) {
      String name = g == PiriLayout.Group.CLASSIC ? "classic-queues" : "dedup-queues";
      try (PreparedStatement ps = c.prepareStatement(sql.get(name)); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!queues.containsKey(rs.getString(1))) foreign.merge(rs.getString(1), rs.getLong(2), Long::sum);
        }
      }
    }
    List<String> out = new ArrayList<>();
    foreign.forEach((q, n) -> out.add("'" + q + "' (" + n + " jobs and dead letters)"));
    return out;
  }

  void copy(Connection c, Set<PiriLayout.Group> groups, Sink sink) throws SQLException {
    boolean classic = groups.contains(PiriLayout.Group.CLASSIC);
    boolean dedup = groups.contains(PiriLayout.Group.DEDUP);
    if (dedup) doneKeys(c, sink);
    if (classic) classicDead(c, sink);
    if (dedup) dedupDead(c, sink);
    if (classic) classicLive(c, sink);
    if (dedup) dedupLive(c, sink);
    sink.flush();
  }

  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  private void stream(Connection c, String name, Row row) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql.get(name))) {
      ps.setFetchSize(FETCH);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) row.accept(rs);
      }
    }
  }

  private void doneKeys(Connection c, Sink sink) throws SQLException {
    stream(c, "dedup-done", rs -> {
      done.found();
      String queue = rs.getString(1);
      int status = rs.getInt(4);
      QueueConfig q = queue == null ? null : queues.get(queue);
      if (queue == null) {
        done.skipped("its namespace is not in Piri's job_ns");
      } else if (q == null) {
        done.skipped("queue '" + queue + "' is not a queue of this store here");
      } else if (!q.dedupe()) {
        done.skipped("queue '" + queue + "' does not dedupe here");
      } else if (status == 2 && !q.blockRepeatsOnDead()) {
        done.skipped("dead-letter key of queue '" + queue + "', which takes repeats after a dead letter");
      } else if (status != 1 && status != 2) {
        done.skipped("status " + status + " is neither completed (1) nor dead-lettered (2)");
      } else {
        sink.done(queue, rs.getString(2), storedKey(rs.getBytes(3)), status, rs.getLong(5));
        done.carried(status == 1 ? "completed" : "dead-lettered");
        doneRows++;
      }
    });
  }

  private void classicDead(Connection c, Sink sink) throws SQLException {
    stream(c, "classic-dead", rs -> {
      dead.found();
      String queue = rs.getString(1);
      byte[] body = rs.getBytes(2);
      String name = rs.getString(5);
      byte[] payload;
      String error = rs.getString(7);
      try {
        payload = Envelope.decode(body).message();
      } catch (IllegalArgumentException e) {
        payload = body;
        error = error + " (adopt: the body is not a Piri job envelope, " + e.getMessage() + "; kept whole)";
      }
      sink.dead(0, queue, name, payload, dedupeKey(queue, null, payload), time(rs, 4, "jobqueue_dead.created"),
          rs.getInt(3), reason(rs.getString(6)), error, time(rs, 8, "jobqueue_dead.moved_at"));
      dead.carried(reason(rs.getString(6)));
      deadRows++;
    });
  }

  private void dedupDead(Connection c, Sink sink) throws SQLException {
    stream(c, "dedup-dead", rs -> {
      dead.found();
      String queue = rs.getString(1);
      byte[] body = rs.getBytes(5);
      byte[] payload;
      String error = rs.getString(8);
      try {
        payload = Envelope.decode(body).message();
      } catch (IllegalArgumentException e) {
        payload = body;
        error = error + " (adopt: the body is not a Piri job envelope, " + e.getMessage() + "; kept whole)";
      }
      long movedAt = rs.getLong(9);
      sink.dead(rs.getLong(3), queue, rs.getString(2), payload, dedupeKey(queue, rs.getBytes(4), payload), movedAt,
          rs.getInt(6), reason(rs.getString(7)), error, movedAt);
      dead.carried(reason(rs.getString(7)));
      deadRows++;
    });
  }

  private void classicLive(Connection c, Sink sink) throws SQLException {
    stream(c, "classic-live", rs -> live(sink, 0, rs.getString(1), null, null, rs.getBytes(2), rs.getInt(3),
        time(rs, 4, "jobqueue.created"), time(rs, 5, "jobqueue.timeout")));
  }

  private void dedupLive(Connection c, Sink sink) throws SQLException {
    stream(c, "dedup-live", rs -> live(sink, rs.getLong(8), rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4),
        rs.getInt(5), rs.getLong(6), rs.getLong(7)));
  }

  /** One live job of Piri's; {@code name} and {@code piriKey} are null for the classic queue. */
  private void live(Sink sink, long jobId, String queue, String name, byte[] piriKey, byte[] body, int attempts,
                    long created, long visibleAt) throws SQLException {
    jobs.found();
    QueueConfig q = queues.get(queue);
    Envelope env;
    try {
      env = Envelope.decode(body);
    } catch (IllegalArgumentException e) {
      sink.dead(jobId, queue, name != null ? name : "unknown", body, null, created, attempts, "permanent_error",
          "adopt: not a Piri job envelope (" + e.getMessage() + "); Piri's worker could never run it. The body is kept whole.",
          now);
      jobs.carried("dead-lettered: not a job envelope");
      deadRows++;
      return;
    }
    String jobName = name != null ? name : env.name();
    byte[] key = dedupeKey(queue, piriKey, env.message());
    if (visibleAt <= now && attempts >= q.maxAttempts()) {
      sink.dead(jobId, queue, jobName, env.message(), key, created, attempts, "max_attempts",
          "Piri delivered it " + attempts + " times without an outcome; it would have stayed in its queue for ever", now);
      jobs.carried("dead-lettered: delivered its maximum number of times");
      deadRows++;
      if (key != null && q.blockRepeatsOnDead()) {
        sink.done(queue, jobName, key, 2, now);
        doneExtra++;
      }
      return;
    }
    if (visibleAt <= now) {
      sink.live(queue, jobName, env.message(), key, created, Math.min(created, visibleAt), attempts, q.maxAttempts(), null);
      jobs.carried("ready");
    } else if (attempts == 0) {
      sink.live(queue, jobName, env.message(), key, created, visibleAt, attempts, q.maxAttempts(), null);
      jobs.carried("scheduled");
    } else {
      sink.live(queue, jobName, env.message(), key, created, visibleAt, attempts, q.maxAttempts(), IN_FLIGHT_RECEIPT);
      jobs.carried("in flight");
    }
    liveRows++;
  }

  /** Piri's key (SHA-256 of the payload) as piri-db stores it; null on queues that do not dedupe. */
  private byte[] dedupeKey(String queue, byte[] piriKey, byte[] payload) {
    QueueConfig q = queues.get(queue);
    if (q == null || !q.dedupe()) return null;
    return storedKey(piriKey != null ? piriKey : sha256(payload));
  }

  /**
   * What piri-db stores for an enqueue with {@code dedupe_key} = the hex of Piri's key: the
   * same hashing as the queue engine's explicit keys (contract 5).
   */
  static byte[] storedKey(byte[] piriKey) {
    MessageDigest sha = digest();
    sha.update("key\0".getBytes(StandardCharsets.UTF_8));
    sha.update(HexFormat.of().formatHex(piriKey).getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  private static byte[] sha256(byte[] bytes) {
    return digest().digest(bytes);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Piri's worker says max_retries for what piri-db calls max_attempts; other reasons stay. */
  private static String reason(String piri) {
    return "max_retries".equals(piri) ? "max_attempts" : piri;
  }

  private static long time(ResultSet rs, int column, String what) throws SQLException {
    long v = rs.getLong(column);
    if (rs.wasNull()) throw new SQLException("a value of " + what + " is not a time adopt can read");
    return v;
  }
}
