package io.piri.db.bench;

import io.piri.db.core.StoreId;
import io.piri.db.client.PermanentFailure;
import io.piri.db.client.QueueClient;
import io.piri.db.client.QueueWorker;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.server.PiriServer;
import io.piri.db.support.TestPostgres;
import io.piri.db.support.WatchedClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * scripts/bench: one line per figure on stdout ({@code bench <backend> <scenario> <value> <unit>
 * [key=value ...]}), progress on stderr. See docs/performance.md.
 */
public final class Bench {
  // One queue per scenario: each starts on a part of the claim index no earlier scenario has
  // churned (PostgreSQL keeps deleted rows' index entries until a vacuum; docs/performance.md).
  private static final String[] QUEUES = {"bench-warmup", "bench-enqueue", "bench-cycle", "bench-mixed", "bench-latency", "bench-deep"};
  private static final int STATS_REQUESTS = 200;
  private static final int MIXED_DEAD_LETTERS = 100;
  private final boolean quick;
  private final Sizes sizes;

  private record Sizes(int baseline, int warmUp, int enqueue, int cycle, int latencySamples, int deepBacklog, int deepMeasured) {}

  private Bench(boolean quick) {
    this.quick = quick;
    this.sizes = quick ? new Sizes(20_000, 10_000, 20_000, 20_000, 200, 100_000, 20_000)
        : new Sizes(100_000, 50_000, 100_000, 100_000, 1_000, 1_000_000, 50_000);
  }

  public static void main(String[] args) throws Exception {
    BenchArgs parsed;
    try {
      parsed = BenchArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage() + "\nusage: scripts/bench " + BenchArgs.USAGE);
      System.exit(2);
      return;
    }
    Bench bench = new Bench(parsed.quick());
    for (BackendType backend : parsed.backends()) bench.run(backend);
    System.exit(0);
  }

  private void run(BackendType backend) throws Exception {
    String name = backend.id();
    Path dir = Files.createTempDirectory("piri-bench-" + name);
    progress(name + ": baseline");
    double baseline = backend == BackendType.SQLITE
        ? Baseline.sqlite(dir.resolve("baseline.db"), sizes.baseline())
        : Baseline.postgres(postgresUrl(), sizes.baseline());
    print(name, "baseline", baseline, "jobs/s", "n=" + sizes.baseline());

    Vertx vertx = Vertx.vertx();
    // Real time; the timers of claims that start waiting (a worker waits 25 s) are counted, not
    // the stores' timers at the end of the 30 s leases.
    WatchedClock clock = new WatchedClock(vertx, delay -> delay > 20_000 && delay <= 25_000);
    PiriServer server = PiriServer.start(vertx, config(backend, dir.resolve("server")), clock).await(120, TimeUnit.SECONDS);
    try {
      QueueClient client = new QueueClient(vertx, StoreId.REPLICATOR.address());
      // A node serves for days: what is measured is its steady state, not its first seconds, in
      // which the JIT compiler has not yet compiled the request path (the first enqueue scenario
      // after a start ran at a third of the speed of the same scenario run again).
      progress(name + ": warm-up (unmeasured)");
      enqueue(vertx, client, "bench-warmup", sizes.warmUp());
      cycle(vertx, client, "bench-warmup", sizes.warmUp(), 0, null);
      progress(name + ": enqueue");
      print(name, "enqueue", enqueue(vertx, client, "bench-enqueue", sizes.enqueue()), "jobs/s", "producers=64",
          "n=" + sizes.enqueue());
      progress(name + ": cycle");
      double cycle = cycle(vertx, client, "bench-cycle", sizes.cycle(), 0, null);
      print(name, "cycle", cycle, "jobs/s", "ratio=" + fmt(cycle / baseline), "in_flight=64", "n=" + sizes.cycle());
      progress(name + ": mixed");
      deadLetters(vertx, client, "bench-mixed", MIXED_DEAD_LETTERS);
      Reader reader = new Reader(vertx, client, "bench-mixed");
      double mixed = cycle(vertx, client, "bench-mixed", sizes.cycle(), 0, reader);
      print(name, "mixed", mixed, "jobs/s", "ratio=" + fmt(mixed / cycle), "reader_hz=" + fmt(reader.roundsPerSecond()),
          "n=" + sizes.cycle());
      progress(name + ": latency");
      double[] lat = latency(vertx, client, clock);
      print(name, "latency", lat[0], "ms", "p50_ms=" + fmt(lat[0]), "p99_ms=" + fmt(lat[1]), "n=" + sizes.latencySamples());
      progress(name + ": deep (backlog " + sizes.deepBacklog() + ")");
      double deep = cycle(vertx, client, "bench-deep", sizes.deepMeasured(), sizes.deepBacklog(), null);
      print(name, "deep", deep, "jobs/s", "ratio=" + fmt(deep / cycle), "backlog=" + sizes.deepBacklog(),
          "n=" + sizes.deepMeasured());
      progress(name + ": stats (backlog " + sizes.deepBacklog() + ")");
      double[] st = stats(client, "bench-deep", sizes.deepBacklog());
      print(name, "stats", st[1], "ms", "p50_ms=" + fmt(st[0]), "p99_ms=" + fmt(st[1]), "backlog=" + sizes.deepBacklog());
      JobsPageBench.run(vertx, name, "bench-deep");
      progress(name + ": idle");
      print(name, "idle", idle(vertx, server, clock), "tx/s", "seconds=10", "workers=5");
    } finally {
      server.stop().await(60, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    new SearchBench(quick).run(backend, dir.resolve("search"), backend == BackendType.POSTGRES ? postgresUrl() : null);
    ConsolePageBench.run(backend, quick, dir);
    ConsoleOverviewBench.run(backend, quick, dir);
    BulkBench.run(backend, quick, System.getenv("PIRI_BENCH_POSTGRES_URL"));
  }

  private String postgresUrl() {
    String url = System.getenv("PIRI_BENCH_POSTGRES_URL");
    return url != null && !url.isBlank() ? url : TestPostgres.newDatabase();
  }

  private PiriConfig config(BackendType backend, Path dataDir) throws Exception {
    JsonObject queues = new JsonObject();
    for (String q : QUEUES) queues.put(q, new JsonObject().put("store", "replicator").put("lease", "30s").put("max_attempts", 10));
    JsonObject file = new JsonObject().put("queues", queues);
    PiriConfig cfg = ConfigLoader.fromJson(file, Map.of());
    try (ServerSocket s = new ServerSocket(0)) {
      return cfg.with(dataDir, backend, backend == BackendType.POSTGRES ? postgresUrl() : null).withBridgePort(s.getLocalPort());
    }
  }

  /** 64 producers, one job per request, each sending its next job when the last is stored. */
  private double enqueue(Vertx vertx, QueueClient client, String queue, int n) throws Exception {
    AtomicInteger left = new AtomicInteger(n);
    List<Future<Void>> producers = new ArrayList<>();
    long start = System.nanoTime();
    for (int p = 0; p < 64; p++) {
      Promise<Void> done = Promise.promise();
      producers.add(done.future());
      vertx.runOnContext(v -> produce(client, queue, left, done));
    }
    Future.all(producers).await(600, TimeUnit.SECONDS);
    return n / seconds(start);
  }

  private void produce(QueueClient client, String queue, AtomicInteger left, Promise<Void> done) {
    if (left.getAndDecrement() <= 0) {
      done.tryComplete();
      return;
    }
    client.enqueue(queue, "job", new JsonObject().put("blob", "bafy-bench-job"))
        .onSuccess(id -> produce(client, queue, left, done))
        .onFailure(done::tryFail);
  }

  /**
   * Enqueues {@code backlog + n} jobs untimed, then times the project's worker (64 in flight,
   * completions batched as it does for its users) claiming and completing {@code n} of them,
   * while {@code reader} (if any) reads the queue.
   */
  private double cycle(Vertx vertx, QueueClient client, String queue, int n, int backlog, Reader reader) throws Exception {
    fill(client, queue, n + backlog);
    AtomicInteger handled = new AtomicInteger();
    Promise<Void> reached = Promise.promise();
    QueueWorker worker = QueueWorker.create(vertx, client, queue, 64).handle("job", job -> {
      if (handled.incrementAndGet() == n) reached.tryComplete();
      return Future.succeededFuture();
    });
    if (reader != null) reader.start();
    long start = System.nanoTime();
    worker.start();
    reached.future().await(600, TimeUnit.SECONDS);
    double rate = n / seconds(start);
    if (reader != null) reader.stop();
    worker.stop(Duration.ofSeconds(30)).await(60, TimeUnit.SECONDS);
    return rate;
  }

  /** Leaves {@code count} dead letters in {@code queue}, untimed, for the reader's dead-list. */
  private void deadLetters(Vertx vertx, QueueClient client, String queue, int count) throws Exception {
    List<JsonObject> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) jobs.add(new JsonObject().put("name", "doomed").put("payload", i));
    client.enqueueBatch(queue, jobs).await(60, TimeUnit.SECONDS);
    AtomicInteger failed = new AtomicInteger();
    Promise<Void> all = Promise.promise();
    QueueWorker worker = QueueWorker.create(vertx, client, queue, 64).handle("doomed", job -> {
      if (failed.incrementAndGet() == count) all.tryComplete();
      throw new PermanentFailure("dead letter for the mixed bench");
    });
    worker.start();
    all.future().await(120, TimeUnit.SECONDS);
    worker.stop(Duration.ofSeconds(30)).await(60, TimeUnit.SECONDS);
  }

  /**
   * {@code stats} of one queue, one request at a time, after the deep scenario: its queue is first
   * topped up to exactly {@code backlog} jobs (the deep worker may have completed a few beyond its
   * n). Returns p50 and p99 in ms of {@link #STATS_REQUESTS} requests after 10 unmeasured.
   */
  private double[] stats(QueueClient client, String queue, int backlog) throws Exception {
    long live = live(client.stats(queue).await(120, TimeUnit.SECONDS).getJsonObject(queue));
    if (live > backlog) throw new IllegalStateException("queue " + queue + " holds " + live + " jobs, more than the backlog " + backlog);
    fill(client, queue, (int) (backlog - live));
    double[] samples = new double[STATS_REQUESTS];
    for (int i = -10; i < STATS_REQUESTS; i++) {
      long start = System.nanoTime();
      JsonObject s = client.stats(queue).await(120, TimeUnit.SECONDS).getJsonObject(queue);
      if (i >= 0) samples[i] = (System.nanoTime() - start) / 1e6;
      if (live(s) != backlog) throw new IllegalStateException("stats saw " + live(s) + " jobs, not " + backlog);
    }
    Arrays.sort(samples);
    return new double[] {percentile(samples, 0.50), percentile(samples, 0.99)};
  }

  /** Jobs not yet completed: ready, waiting, or leased (the deep worker hands back what it claimed while stopping). */
  private static long live(JsonObject stats) {
    return stats.getLong("ready") + stats.getLong("scheduled") + stats.getLong("running");
  }

  /**
   * An operator's screen: every 50 ms, {@code stats}, the 50 oldest ready jobs ({@code jobs}) and 50
   * dead letters ({@code dead-list}) of one queue, sent together; a round still in flight when the
   * next is due is not doubled (the rounds done per second are reported).
   */
  private static final class Reader {
    private final Vertx vertx;
    private final QueueClient client;
    private final String queue;
    private final AtomicInteger rounds = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean busy;
    private long timer;
    private long started;
    private double hz;

    Reader(Vertx vertx, QueueClient client, String queue) {
      this.vertx = vertx;
      this.client = client;
      this.queue = queue;
    }

    void start() {
      started = System.nanoTime();
      timer = vertx.setPeriodic(50, t -> round());
    }

    private void round() {
      if (busy) return;
      busy = true;
      Future.all(client.stats(queue),
              client.request("jobs", new JsonObject().put("queue", queue).put("state", "ready").put("limit", 50), 0),
              client.deadList(queue, 0, 50))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              rounds.incrementAndGet();
            } else {
              failures.incrementAndGet();
              System.err.println("bench: mixed reader: " + ar.cause().getMessage());
            }
            busy = false;
          });
    }

    void stop() {
      vertx.cancelTimer(timer);
      hz = rounds.get() / seconds(started);
      if (failures.get() > 0) throw new IllegalStateException(failures.get() + " reader round(s) failed");
    }

    double roundsPerSecond() {
      return hz;
    }
  }

  private void fill(QueueClient client, String queue, int total) throws Exception {
    List<JsonObject> batch = new ArrayList<>();
    for (int i = 0; i < 1000; i++) batch.add(new JsonObject().put("name", "job").put("payload", new JsonObject().put("blob", "bafy-bench-job")));
    List<Future<?>> inFlight = new ArrayList<>();
    for (int sent = 0; sent < total; sent += 1000) {
      inFlight.add(client.enqueueBatch(queue, batch.subList(0, Math.min(1000, total - sent))));
      if (inFlight.size() == 4) {
        Future.all(inFlight).await(600, TimeUnit.SECONDS);
        inFlight.clear();
      }
    }
    Future.all(inFlight).await(600, TimeUnit.SECONDS);
  }

  /** One idle worker waiting in claim; one job at a time; enqueue-to-handler time. */
  private double[] latency(Vertx vertx, QueueClient client, WatchedClock clock) throws Exception {
    AtomicLong sentAt = new AtomicLong();
    List<Double> samples = new ArrayList<>();
    Promise<?>[] got = new Promise<?>[1];
    QueueWorker worker = QueueWorker.create(vertx, client, "bench-latency", 1).handle("job", job -> {
      synchronized (samples) {
        samples.add((System.nanoTime() - sentAt.get()) / 1e6);
        got[0].tryComplete();
      }
      return Future.succeededFuture();
    });
    long waits = clock.count();
    worker.start();
    clock.awaitCount(++waits);
    for (int i = 0; i < sizes.latencySamples() + 20; i++) {
      Promise<Void> p = Promise.promise();
      synchronized (samples) {
        got[0] = p;
      }
      sentAt.set(System.nanoTime());
      client.enqueue("bench-latency", "job", "latency");
      p.future().await(30, TimeUnit.SECONDS);
      clock.awaitCount(++waits); // the worker waits in claim again before the next job
    }
    worker.stop(Duration.ofSeconds(10)).await(30, TimeUnit.SECONDS);
    double[] s = samples.stream().skip(20).mapToDouble(Double::doubleValue).sorted().toArray();
    return new double[] {percentile(s, 0.50), percentile(s, 0.99)};
  }

  /** Workers waiting on every built-in queue store for 10 s: transactions per second. */
  private double idle(Vertx vertx, PiriServer server, WatchedClock clock) throws Exception {
    List<QueueWorker> workers = new ArrayList<>();
    long waits = clock.count();
    String[][] queues = {{"replicator", "replication"}, {"egress_tracker", "egress-tracker"},
        {"aggregator", "aggregator"}, {"aggregator", "compute_commp"}, {"aggregator", "manager"}};
    for (String[] q : queues) {
      QueueWorker w = QueueWorker.create(vertx, new QueueClient(vertx, "piri.db." + q[0]), q[1], 4)
          .handle("job", job -> Future.succeededFuture());
      w.start();
      workers.add(w);
    }
    clock.awaitCount(waits + queues.length);
    // What the earlier scenarios left due (leases handed back, their due-time passes) is written
    // first: a stats request answers after a pass in flight.
    clock.awaitNoOtherTimers();
    for (String[] q : queues) new QueueClient(vertx, "piri.db." + q[0]).stats(q[1]).await(30, TimeUnit.SECONDS);
    long before = transactions(server);
    long start = System.nanoTime();
    // What ten seconds of idleness cost is the figure: they must really pass.
    Thread.sleep(10_000);
    double rate = (transactions(server) - before) / seconds(start);
    for (QueueWorker w : workers) w.stop(Duration.ofSeconds(5)).await(10, TimeUnit.SECONDS);
    return rate;
  }

  private static long transactions(PiriServer server) {
    return Arrays.stream(StoreId.values()).mapToLong(s -> server.database(s).transactions()).sum();
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) return Double.NaN;
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static void print(String backend, String scenario, double value, String unit, String... kv) {
    String v = unit.equals("ms") || unit.equals("tx/s") ? fmt(value) : String.format(Locale.ROOT, "%.0f", value);
    System.out.println("bench " + backend + " " + scenario + " " + v + " " + unit + (kv.length == 0 ? "" : " " + String.join(" ", kv)));
    System.out.flush();
  }

  private static void progress(String what) {
    System.err.println("bench: " + what);
  }
}
