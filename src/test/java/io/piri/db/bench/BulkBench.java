package io.piri.db.bench;

import io.piri.db.client.QueueClient;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bulk purge of n dead letters while a steady claim/complete load runs on the same store:
 * {@code bench <backend> bulk-purge <rows/s> jobs/s claim_p99_ratio=<during/before>
 * max_batch_ms=<longest batch> n=<n>}. The dead letters are written with plain SQL while the
 * node is stopped (with their counter row), so that seeding a million takes seconds. The load:
 * {@link #CLAIMERS} claimers, each claiming one job, completing it and pausing
 * {@link #PAUSE_MS} ms; claim p99 is measured for {@link #BASELINE_MS} ms before the purge (after
 * {@link #WARMUP_MS} ms unmeasured) and for the whole purge.
 */
public final class BulkBench {
  private static final String DEAD = "bench-bulk";
  private static final String LOAD = "bench-bulk-load";
  private static final int CLAIMERS = 4;
  private static final long PAUSE_MS = 5;
  private static final long WARMUP_MS = 5_000;
  private static final long BASELINE_MS = 5_000;

  private BulkBench() {}

  /** {@code BulkBench [--backend sqlite|postgres|both] [--quick]}: the scenario alone. */
  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    int b = Arrays.asList(args).indexOf("--backend");
    String backend = b >= 0 && b + 1 < args.length ? args[b + 1] : "both";
    if (!backend.equals("postgres")) run(BackendType.SQLITE, quick, null);
    if (!backend.equals("sqlite")) run(BackendType.POSTGRES, quick, null);
    System.exit(0);
  }

  /** The scenario on {@code backend}: 20 000 dead letters with {@code quick}, else 1 000 000. */
  static void run(BackendType backend, boolean quick, String postgresUrl) throws Exception {
    int n = quick ? 20_000 : 1_000_000;
    String name = backend.id();
    Path dir = Files.createTempDirectory("piri-bench-bulk-" + name);
    PiriConfig config = config(backend, dir, backend == BackendType.POSTGRES
        ? (postgresUrl != null && !postgresUrl.isBlank() ? postgresUrl : TestPostgres.newDatabase()) : null);
    Vertx vertx = Vertx.vertx();
    try {
      // Started once to migrate, stopped to seed.
      PiriServer.start(vertx, config, Clock.system(vertx)).await(120, TimeUnit.SECONDS).stop().await(60, TimeUnit.SECONDS);
      System.err.println("bench: " + name + ": seeding " + n + " dead letters");
      seed(config, n);
      PiriServer server = PiriServer.start(vertx, config, Clock.system(vertx)).await(120, TimeUnit.SECONDS);
      try {
        QueueClient client = new QueueClient(vertx, StoreId.REPLICATOR.address());
        fill(client, 50_000);
        Load load = new Load(vertx, client);
        load.start();
        double[] before = baseline(vertx, load, name).await(WARMUP_MS + BASELINE_MS + 60_000, TimeUnit.MILLISECONDS);
        System.err.println("bench: " + name + ": purge");
        long started = System.nanoTime();
        JsonObject op = client.request("bulk-start", new JsonObject().put("queue", DEAD).put("op", "purge"), 0)
            .await(120, TimeUnit.SECONDS);
        JsonObject st = finished(vertx, client, op.getLong("operation")).await(30, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - started) / 1e9;
        double[] during = load.take();
        load.stop();
        if (st.getLong("done") != n) throw new IllegalStateException("purged " + st.getLong("done") + " of " + n);
        long dead = client.stats(DEAD).await(60, TimeUnit.SECONDS).getJsonObject(DEAD).getLong("dead");
        if (dead != 0) throw new IllegalStateException(dead + " dead letters left");
        System.out.println(String.format(Locale.ROOT,
            "bench %s bulk-purge %.0f jobs/s claim_p99_ratio=%.2f max_batch_ms=%.2f n=%d claim_p99_ms_before=%.2f"
                + " claim_p99_ms_during=%.2f claims_before=%d claims_during=%d",
            name, n / seconds, during[0] / before[0], st.getDouble("max_batch_ms"), n, before[0], during[0], (long) before[1],
            (long) during[1]));
      } finally {
        server.stop().await(60, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Claim p99 and count over {@link #BASELINE_MS} of the steady load, after {@link #WARMUP_MS}
   * whose claims do not count (a fresh JVM is slower at first): stretches of real time, timed by Vert.x.
   */
  private static Future<double[]> baseline(Vertx vertx, Load load, String name) {
    Promise<double[]> measured = Promise.promise();
    vertx.setTimer(WARMUP_MS, warm -> {
      load.take();
      System.err.println("bench: " + name + ": baseline claims");
      vertx.setTimer(BASELINE_MS, t -> measured.complete(load.take()));
    });
    return measured.future();
  }

  /**
   * The operation's last status, once it no longer runs: read every 100 ms as an operator would,
   * since the store announces no end of an operation.
   */
  private static Future<JsonObject> finished(Vertx vertx, QueueClient client, long id) {
    Promise<JsonObject> last = Promise.promise();
    readStatusLater(vertx, client, id, last);
    return last.future();
  }

  private static void readStatusLater(Vertx vertx, QueueClient client, long id, Promise<JsonObject> last) {
    vertx.setTimer(100, t -> client.request("bulk-status", new JsonObject().put("operation", id), 0).onComplete(ar -> {
      if (ar.failed()) last.fail(ar.cause());
      else if (ar.result().getString("state").equals("running")) readStatusLater(vertx, client, id, last);
      else last.complete(ar.result());
    }));
  }

  private static PiriConfig config(BackendType backend, Path dir, String postgresUrl) throws Exception {
    JsonObject queues = new JsonObject();
    for (String q : List.of(DEAD, LOAD)) queues.put(q, new JsonObject().put("store", "replicator").put("lease", "30s").put("max_attempts", 10));
    PiriConfig cfg = ConfigLoader.fromJson(new JsonObject().put("queues", queues), Map.of());
    try (ServerSocket s = new ServerSocket(0)) {
      return cfg.with(dir.resolve("data"), backend, postgresUrl).withBridgePort(s.getLocalPort());
    }
  }

  /** n dead letters of {@link #DEAD} and their counter, in one transaction of plain SQL. */
  private static void seed(PiriConfig config, int n) throws Exception {
    boolean sqlite = config.backend() == BackendType.SQLITE;
    try (Connection c = sqlite
        ? DriverManager.getConnection("jdbc:sqlite:" + config.dataDir().resolve(StoreId.REPLICATOR.sqliteFile()))
        : TestPostgres.connect(config.postgres().url())) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        if (!sqlite) s.execute("SET search_path = " + StoreId.REPLICATOR.id());
        String rows = sqlite ? "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?) SELECT i FROM c"
            : "SELECT generate_series(1, ?) AS i";
        String payload = sqlite ? "X'7b7d'" : "'\\x7b7d'::bytea";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_dead (job_id, queue, name, payload, is_json, enqueued_at, attempts,"
            + " reason, error, failed_at) SELECT i, '" + DEAD + "', 'doomed', " + payload + ", 1, 1, 1, 'permanent_error',"
            + " 'boom ' || i, 2 FROM (" + rows + ") AS g")) {
          ps.setInt(1, n);
          ps.executeUpdate();
        }
        s.execute("INSERT INTO queue_counter (queue, state, shard, n) VALUES ('" + DEAD + "', 'dead', 0, " + n + ")");
      }
      c.commit();
    }
  }

  private static void fill(QueueClient client, int total) throws Exception {
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) batch.add(new JsonObject().put("name", "job").put("payload", i));
    for (int sent = 0; sent < total; sent += 1000) client.enqueueBatch(LOAD, batch).await(120, TimeUnit.SECONDS);
  }

  /** The steady load: claimers that claim one job, complete it, pause, again; claim times kept. */
  private static final class Load {
    private final Vertx vertx;
    private final QueueClient client;
    private final List<Double> samples = new ArrayList<>();
    private final List<Future<Void>> stopped = new ArrayList<>();
    private volatile boolean running = true;

    Load(Vertx vertx, QueueClient client) {
      this.vertx = vertx;
      this.client = client;
    }

    void start() {
      for (int i = 0; i < CLAIMERS; i++) {
        Promise<Void> done = Promise.promise();
        stopped.add(done.future());
        vertx.runOnContext(v -> claim(done));
      }
    }

    private void claim(Promise<Void> done) {
      if (!running) {
        done.tryComplete();
        return;
      }
      long t0 = System.nanoTime();
      client.request("claim", new JsonObject().put("queue", LOAD).put("max", 1), 0).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        synchronized (samples) {
          samples.add((System.nanoTime() - t0) / 1e6);
        }
        JsonArray jobs = ar.result().getJsonArray("jobs");
        Future<?> completed = jobs.isEmpty() ? Future.succeededFuture()
            : client.request("complete", new JsonObject().put("queue", LOAD).put("id", jobs.getJsonObject(0).getLong("id"))
                .put("receipt", jobs.getJsonObject(0).getString("receipt")), 0);
        completed.onComplete(c -> vertx.setTimer(PAUSE_MS, t -> claim(done)));
      });
    }

    /** p99 (ms) and the number of claims since the last take. */
    double[] take() {
      double[] s;
      synchronized (samples) {
        s = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        samples.clear();
      }
      return new double[] {s.length == 0 ? Double.NaN : s[Math.min(s.length - 1, (int) Math.ceil(0.99 * s.length) - 1)], s.length};
    }

    void stop() throws Exception {
      running = false;
      Future.all(stopped).await(60, TimeUnit.SECONDS);
    }
  }
}
