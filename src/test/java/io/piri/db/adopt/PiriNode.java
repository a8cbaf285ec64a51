package io.piri.db.adopt;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.support.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

/**
 * A Piri node's databases as Piri writes them, built from the DDL of src/test/resources/piri
 * (the spec's description of Piri's schema files and GORM models) at the place a piri-db
 * configuration points to: the four SQLite files under data_dir, or the four schemas. Rows are
 * written in Piri's formats: RFC 3339 text or TIMESTAMPTZ times in the classic queue, epoch
 * seconds in the dedup queue, GORM's time text on SQLite, the worker's JSON envelope around
 * every payload.
 */
final class PiriNode implements AutoCloseable {
  private static final DateTimeFormatter RFC3339_MS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  /** Go's "2006-01-02 15:04:05.999999999-07:00", as the GORM SQLite driver writes a time.Time. */
  private static final DateTimeFormatter GORM = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSXXX");

  private final PiriConfig config;
  private final Map<StoreId, Connection> open = new EnumMap<>(StoreId.class);

  private PiriNode(PiriConfig config) {
    this.config = config;
  }

  /** Creates Piri's tables for every store, as a v0.2.2+ node has them. */
  static PiriNode create(PiriConfig config) throws SQLException {
    PiriNode node = new PiriNode(config);
    for (StoreId s : StoreId.values()) {
      if (s == StoreId.SCHEDULER) {
        node.script(s, "scheduler");
      } else {
        node.script(s, "jobqueue");
        if (s == StoreId.AGGREGATOR) node.script(s, "dedup");
      }
    }
    return node;
  }

  boolean sqlite() {
    return config.backend() == BackendType.SQLITE;
  }

  Connection conn(StoreId store) throws SQLException {
    Connection c = open.get(store);
    if (c != null) return c;
    if (sqlite()) {
      Path f = config.dataDir().resolve(store.sqliteFile());
      try {
        Files.createDirectories(f.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      c = DriverManager.getConnection("jdbc:sqlite:" + f.toAbsolutePath());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA foreign_keys=ON");
      }
    } else {
      c = TestPostgres.connect(config.postgres().url());
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS " + store.id());
        st.execute("SET search_path TO " + store.id() + (store == StoreId.SCHEDULER ? "" : ", public"));
      }
    }
    open.put(store, c);
    return c;
  }

  void script(StoreId store, String name) throws SQLException {
    String resource = "piri/" + (sqlite() ? "sqlite" : "postgres") + "/" + name + ".sql";
    try (InputStream in = PiriNode.class.getClassLoader().getResourceAsStream(resource);
         Statement st = conn(store).createStatement()) {
      st.executeUpdate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs one statement with {@code ?} parameters on a store. */
  int exec(StoreId store, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = conn(store).prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      return ps.executeUpdate();
    }
  }

  long queryLong(StoreId store, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = conn(store).prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A time of the classic queue: RFC 3339 text with milliseconds on SQLite, TIMESTAMPTZ there. */
  Object queueTime(long epochMs, ZoneOffset zone) {
    OffsetDateTime t = Instant.ofEpochMilli(epochMs).atOffset(zone);
    return sqlite() ? t.format(RFC3339_MS) : t;
  }

  /** A time of a GORM model: Go's text with the process's offset on SQLite, TIMESTAMPTZ there. */
  Object gormTime(long epochMs, ZoneOffset zone) {
    OffsetDateTime t = Instant.ofEpochMilli(epochMs).atOffset(zone);
    return sqlite() ? t.format(GORM) : t;
  }

  /** A GORM boolean: numeric 0/1 on SQLite, BOOLEAN there. */
  Object bool(Boolean b) {
    if (b == null) return null;
    return sqlite() ? (Object) (b ? 1 : 0) : b;
  }

  /** Inserts a classic-queue job as Piri's Send and claims leave it; returns its text id. */
  String classicJob(StoreId store, String queue, String name, byte[] message, int received, long created,
                    long timeout, ZoneOffset zone) throws SQLException {
    return classicBody(store, queue, envelope(name, message, true), received, created, timeout, zone);
  }

  String classicBody(StoreId store, String queue, byte[] body, int received, long created, long timeout,
                     ZoneOffset zone) throws SQLException {
    String id = "m_" + java.util.HexFormat.of().formatHex(sha256((queue + created + timeout + received + new String(body,
        StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1)), 0, 16);
    exec(store, "INSERT INTO jobqueue (id, created, updated, queue, body, timeout, received) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id, queueTime(created, ZoneOffset.UTC), queueTime(created, ZoneOffset.UTC), queue, body, queueTime(timeout, zone),
        received);
    return id;
  }

  void classicDead(StoreId store, String queue, String name, byte[] message, int received, long created,
                   String reason, String error, long moved) throws SQLException {
    String id = "m_" + java.util.HexFormat.of().formatHex(sha256((queue + name + created + error).getBytes(StandardCharsets.UTF_8)), 0, 16);
    exec(store, "INSERT INTO jobqueue_dead (id, created, updated, queue, body, timeout, received, job_name, failure_reason,"
            + " error_message, moved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        id, queueTime(created, ZoneOffset.UTC), queueTime(moved, ZoneOffset.UTC), queue, envelope(name, message, false),
        queueTime(moved, ZoneOffset.UTC), received, name, reason, error, queueTime(moved, ZoneOffset.UTC));
  }

  long namespace(String queue, String name) throws SQLException {
    StoreId s = StoreId.AGGREGATOR;
    exec(s, "INSERT INTO queues (queue, dedupe_enabled) VALUES (?, 1) ON CONFLICT (queue) DO NOTHING", queue);
    exec(s, "INSERT INTO job_ns (queue, name) VALUES (?, ?) ON CONFLICT (queue, name) DO NOTHING", queue, name);
    return queryLong(s, "SELECT id FROM job_ns WHERE queue = ? AND name = ?", queue, name);
  }

  /** A live job of the dedup queue (aggregator store); times in epoch seconds. */
  void dedupJob(String queue, String name, byte[] message, int attempts, long createdS, long availS) throws SQLException {
    exec(StoreId.AGGREGATOR, "INSERT INTO jobs (ns_id, key, body, created_s, avail_s, attempts) VALUES (?, ?, ?, ?, ?, ?)",
        namespace(queue, name), sha256(message), envelope(name, message, true), createdS, availS, attempts);
  }

  void dedupDone(String queue, String name, byte[] message, int status, long doneS) throws SQLException {
    exec(StoreId.AGGREGATOR, "INSERT INTO job_done (ns_id, key, status, done_s) VALUES (?, ?, ?, ?)",
        namespace(queue, name), sha256(message), status, doneS);
  }

  void dedupDead(long id, String queue, String name, byte[] message, int attempts, String reason, String error,
                 long movedS) throws SQLException {
    exec(StoreId.AGGREGATOR, "INSERT INTO job_dead (id, ns_id, key, body, attempts, reason, error, moved_s)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id, namespace(queue, name), sha256(message), envelope(name, message, false), attempts, reason, error, movedS);
  }

  /**
   * The worker's envelope (piri-jobqueue.md 7) as Go's json.Encoder writes it: a trailing
   * newline, and a trace when the enqueuing context had a span.
   */
  static byte[] envelope(String name, byte[] message, boolean trace) {
    String json = "{\"name\":\"" + name + "\",\"message\":\"" + Base64.getEncoder().encodeToString(message) + "\""
        + (trace ? ",\"trace\":{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\",\"trace_flags\":1}" : "")
        + "}\n";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes every connection: a Piri node that stopped. */
  @Override
  public void close() throws SQLException {
    for (Connection c : open.values()) c.close();
    open.clear();
  }
}
