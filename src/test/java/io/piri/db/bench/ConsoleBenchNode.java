package io.piri.db.bench;

import io.piri.db.backend.Migrations;
import io.piri.db.backend.Statements;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.PostgresUrl;
import io.piri.db.console.Role;
import io.piri.db.console.TokenFile;
import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the console scenarios share: a node whose stores are filled over plain JDBC before it
 * starts (SQL in src/test/resources/sql/bench-console.sql), the node with its console, and p95
 * times of GETs of its API over real HTTP.
 */
record ConsoleBenchNode(Vertx vertx, PiriServer server, String token) implements AutoCloseable {
  private static final int WARMUP = 50;
  private static final int SAMPLES = 20;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A fresh node's configuration: its data_dir, for PostgreSQL a database of its own. */
  static PiriConfig config(BackendType backend, Path dataDir) throws Exception {
    PiriConfig cfg = ConfigLoader.fromJson(new JsonObject(), Map.of());
    return cfg.with(dataDir, backend, backend == BackendType.POSTGRES ? freshDatabase() : null)
        .withBridgePort(freePort()).withHttpPort(freePort());
  }

  /** A store migrated as the node would, and a connection to it on which its tables go by their bare names. */
  static Connection store(PiriConfig cfg, StoreId store) throws Exception {
    if (cfg.backend() == BackendType.SQLITE) {
      Path file = cfg.dataDir().resolve(store.sqliteFile());
      Files.createDirectories(file.getParent());
      Properties p = new Properties();
      p.setProperty("journal_mode", "WAL");
      p.setProperty("synchronous", "NORMAL");
      p.setProperty("busy_timeout", "5000");
      String url = "jdbc:sqlite:" + file.toAbsolutePath();
      Migrations.migrate("sqlite", store, url, p, null);
      return DriverManager.getConnection(url, p);
    }
    String url = cfg.postgres().url();
    Migrations.migrate("postgres", store, PostgresUrl.jdbcUrl(url), PostgresUrl.credentials(url), store.id());
    Connection c = TestPostgres.connect(url);
    c.setSchema(store.id());
    return c;
  }

  static Statements sql(PiriConfig cfg) {
    return Statements.load(cfg.backend().id(), "bench-console");
  }

  static void update(Connection c, String sql, Object... params) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      ps.executeUpdate();
    }
  }

  static long queryLong(Connection c, String sql, Object... params) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) throw new IllegalStateException("no row for " + sql);
        return rs.getLong(1);
      }
    }
  }

  /**
   * After seeding: the counters made exact by the statements of migration V102, and on PostgreSQL
   * the statistics a server that has run for a while has from autovacuum.
   */
  static void finish(PiriConfig cfg, Connection c) throws Exception {
    Statements sql = sql(cfg);
    c.setAutoCommit(false);
    update(c, sql.get("counters-clear"));
    update(c, sql.get("counters-live"));
    update(c, sql.get("counters-dead"));
    c.commit();
    c.setAutoCommit(true);
    if (cfg.backend() == BackendType.POSTGRES) {
      try (Statement s = c.createStatement()) {
        s.execute(sql.get("analyze"));
      }
    }
  }

  static ConsoleBenchNode start(PiriConfig cfg) throws Exception {
    Vertx vertx = Vertx.vertx();
    PiriServer server = PiriServer.start(vertx, cfg).await(600, TimeUnit.SECONDS);
    String token = new TokenFile(cfg.dataDir()).create("bench", Role.VIEWER);
    return new ConsoleBenchNode(vertx, server, token);
  }

  /** One GET of the console API; its body as JSON, failing on any status but 200. */
  JsonObject get(String path) throws Exception {
    String base = "http://127.0.0.1:" + server.httpPort() + server.config().console().prefix();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
    return new JsonObject(r.body());
  }

  /**
   * p95 in ms of {@value #SAMPLES} GETs of each path, one request at a time, after {@value #WARMUP}
   * unmeasured rounds: a node that has served for a while has its code compiled, and a fresh JVM's
   * first requests cost about three times the CPU. The paths take turns, so that the machine's
   * other load falls on each alike.
   */
  double[] p95(String... paths) throws Exception {
    double[][] ms = new double[paths.length][SAMPLES];
    long cpuStart = 0;
    for (int i = -WARMUP; i < SAMPLES; i++) {
      if (i == 0) cpuStart = cpuNanos();
      for (int p = 0; p < paths.length; p++) {
        long start = System.nanoTime();
        get(paths[p]);
        if (i >= 0) ms[p][i] = (System.nanoTime() - start) / 1e6;
      }
    }
    // On a machine shared with other work the times are mostly waits for a core; the CPU this
    // process (node and client) spent per request is the part that is the node's own.
    progress(String.format(Locale.ROOT, "%s: %.2f ms of CPU per request", String.join(", ", paths),
        (cpuNanos() - cpuStart) / 1e6 / (SAMPLES * paths.length)));
    double[] out = new double[paths.length];
    for (int p = 0; p < paths.length; p++) {
      Arrays.sort(ms[p]);
      out[p] = ms[p][(int) Math.ceil(0.95 * SAMPLES) - 1];
    }
    return out;
  }

  /** Stops the node and deletes its data_dir: the seeded stores run to gigabytes. */
  @Override
  public void close() throws Exception {
    Path dataDir = server.config().dataDir();
    server.stop().await(60, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static void progress(String what) {
    System.err.println("bench: " + what);
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /**
   * Scenarios run with scripts/bench's arguments: {@code --backend sqlite|postgres|both}, {@code --quick}.
   */
  interface Scenario {
    void run(BackendType backend, boolean quick, Path dir) throws Exception;
  }

  static void main(String name, Scenario scenario, String[] args) throws Exception {
    BenchArgs parsed;
    try {
      parsed = BenchArgs.parse(args);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + "; usage: " + name + " " + BenchArgs.USAGE, e);
    }
    for (BackendType b : parsed.backends()) scenario.run(b, parsed.quick(), Files.createTempDirectory("piri-bench-" + b.id()));
    System.exit(0);
  }

  /**
   * A database of its own: on the server of PIRI_BENCH_POSTGRES_URL when set (the stores' schemas
   * of the other scenarios are taken there), else on the tests' PostgreSQL.
   */
  private static String freshDatabase() throws Exception {
    String url = System.getenv("PIRI_BENCH_POSTGRES_URL");
    if (url == null || url.isBlank()) return TestPostgres.newDatabase();
    String name = "piri_bench_console_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
    try (Connection c = TestPostgres.connect(url); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return url.replaceFirst("/[^/?]*(\\?.*)?$", "/" + name + "$1");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
