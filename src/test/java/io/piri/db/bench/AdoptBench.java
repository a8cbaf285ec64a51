package io.piri.db.bench;

import io.piri.db.core.StoreId;
import io.piri.db.adopt.Adopter;
import io.piri.db.adopt.StoreResult;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.datadir.DataDirLock;
import io.piri.db.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Base64;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * scripts/bench-adopt: builds a Piri node whose replication queue holds N live jobs (1M by
 * default; a third in flight) in Piri's own format, adopts it, and prints one line:
 * {@code bench <backend> adopt <seconds> s jobs=<n> heap_peak_mb=<MB>} (stdout; progress on
 * stderr). The heap figure is the peak of the JVM's heap pools during the adoption.
 */
public final class AdoptBench {
  private AdoptBench() {}

  public static void main(String[] args) throws Exception {
    int jobs = 1_000_000;
    String backend = "sqlite";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--jobs" -> jobs = Integer.parseInt(args[++i]);
        case "--backend" -> backend = args[++i];
        default -> throw new IllegalArgumentException("usage: AdoptBench [--jobs N] [--backend sqlite|postgres]");
      }
    }
    Path dir = Files.createTempDirectory("piri-db-adopt-bench");
    BackendType type = BackendType.parse(backend);
    JsonObject db = new JsonObject().put("type", type.id());
    if (type == BackendType.POSTGRES) db.put("postgres", new JsonObject().put("url", TestPostgres.newDatabase()));
    PiriConfig config = ConfigLoader.fromJson(new JsonObject()
        .put("repo", new JsonObject().put("data_dir", dir.resolve("data").toString()).put("database", db)), Map.of());
    System.err.println("building a Piri node with " + jobs + " jobs in " + (type == BackendType.SQLITE ? config.dataDir() : "PostgreSQL"));
    build(config, jobs);

    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long started = System.nanoTime();
    Adopter.Result result = new Adopter(config, System.err, System.currentTimeMillis()).run(false, () -> {
      DataDirLock lock = DataDirLock.acquire(config.dataDir());
      return lock::close;
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
    }
    long carried = result.stores().stream().filter(s -> s.store() == StoreId.REPLICATOR)
        .mapToLong(s -> s.kinds().get("jobs").getLong("carried")).sum();
    if (carried != jobs || result.stores().stream().anyMatch(s -> s.status() != StoreResult.Status.ADOPTED)) {
      throw new IllegalStateException("adoption did not carry every job: " + result.toJson().encode());
    }
    System.out.println(String.format(Locale.ROOT, "bench %s adopt %.1f s jobs=%d heap_peak_mb=%d", type.id(), seconds,
        jobs, peak >> 20));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** Piri's tables in every store; the replication queue filled with a set-based INSERT. */
  private static void build(PiriConfig config, int jobs) throws Exception {
    boolean sqlite = config.backend() == BackendType.SQLITE;
    String message = Base64.getEncoder().encodeToString(
        "{\"space\":\"did:key:z6Mk\",\"blob\":{\"Digest\":\"EiD\",\"Size\":2048},\"source\":{\"id\":\"did:web:x\"}}"
            .getBytes(StandardCharsets.UTF_8));
    String body = "{\"name\":\"transfer-task\",\"message\":\"" + message + "\",\"trace\":{\"trace_id\":"
        + "\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\"00f067aa0ba902b7\",\"trace_flags\":1}}\n";
    for (StoreId s : StoreId.values()) {
      try (Connection c = connect(config, s); Statement st = c.createStatement()) {
        if (s == StoreId.SCHEDULER) {
          st.executeUpdate(script(sqlite, "scheduler"));
          continue;
        }
        st.executeUpdate(script(sqlite, "jobqueue"));
        if (s == StoreId.AGGREGATOR) st.executeUpdate(script(sqlite, "dedup"));
        if (s != StoreId.REPLICATOR) continue;
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(sqlite
            ? "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                + " INSERT INTO jobqueue (id, created, updated, queue, body, timeout, received)"
                + " SELECT printf('m_%032x', i), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day', '+' || (i / 1000) || ' seconds'),"
                + " strftime('%Y-%m-%dT%H:%M:%fZ'), 'replication', CAST(? AS BLOB),"
                + " strftime('%Y-%m-%dT%H:%M:%fZ', 'now', CASE WHEN i % 3 = 0 THEN '+1 hour' ELSE '-1 hour' END), i % 3 FROM n"
            : "INSERT INTO jobqueue (id, created, updated, queue, body, timeout, received)"
                + " SELECT 'm_' || lpad(to_hex(i), 32, '0'), now() - interval '1 day' + i * interval '1 millisecond', now(),"
                + " 'replication', convert_to(?, 'UTF8'),"
                + " now() + CASE WHEN i % 3 = 0 THEN interval '1 hour' ELSE interval '-1 hour' END, i % 3"
                + " FROM generate_series(1, ?) i")) {
          if (sqlite) {
            ps.setInt(1, jobs);
            ps.setString(2, body);
          } else {
            ps.setString(1, body);
            ps.setInt(2, jobs);
          }
          ps.executeUpdate();
        }
        c.commit();
      }
    }
  }

  private static Connection connect(PiriConfig config, StoreId store) throws Exception {
    if (config.backend() == BackendType.SQLITE) {
      Path f = config.dataDir().resolve(store.sqliteFile());
      Files.createDirectories(f.getParent());
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + f);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
      }
      return c;
    }
    Connection c = TestPostgres.connect(config.postgres().url());
    try (Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + store.id());
      st.execute("SET search_path TO " + store.id());
    }
    return c;
  }

  private static String script(boolean sqlite, String name) throws IOException {
    try (InputStream in = AdoptBench.class.getClassLoader().getResourceAsStream(
        "piri/" + (sqlite ? "sqlite" : "postgres") + "/" + name + ".sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
