package io.piri.db.bench;

import io.piri.db.bus.ActionRouter;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The search scenario: a queue with a search field holds {@code n} jobs (1M; quick 20k), a few
 * hundred of them retried or dead-lettered with an error, and a dedupe queue of the same store
 * holds keyed jobs (100k; quick 20k: a dedupe enqueue writes its jobs one by one, too slow to fill
 * a million of them here); then, per kind of search, the first page (50 rows, no state) asked
 * again and again, one request at a time. One line per kind:
 * {@code bench <backend> search <p95> ms kind=<kind> p50_ms=.. rows=<jobs in the queue searched>}.
 * Run alone with {@code SearchBench [--quick] [--backend sqlite|postgres|both]}.
 */
final class SearchBench {
  private static final String QUEUE = "bench-search";
  private static final String KEYED = "bench-search-keyed";
  private static final int BATCH = 1000;
  private static final int NAMES = 100;
  private static final int ERRORS = 200;
  private static final int WARMUP = 5;

  private final int rows;
  private final int keyedRows;
  private final int samples;

  SearchBench(boolean quick) {
    this.rows = quick ? 20_000 : 1_000_000;
    this.keyedRows = quick ? 20_000 : 100_000;
    this.samples = quick ? 30 : 100;
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Arrays.asList(args).contains("--quick");
    int at = Arrays.asList(args).indexOf("--backend");
    String backend = at >= 0 && at + 1 < args.length ? args[at + 1] : "both";
    SearchBench bench = new SearchBench(quick);
    if (!backend.equals("postgres")) bench.run(BackendType.SQLITE, Files.createTempDirectory("piri-bench-search"), null);
    if (!backend.equals("sqlite")) bench.run(BackendType.POSTGRES, Files.createTempDirectory("piri-bench-search"), postgresUrl());
    System.exit(0);
  }

  static String postgresUrl() {
    String url = System.getenv("PIRI_BENCH_POSTGRES_URL");
    return url != null && !url.isBlank() ? url : TestPostgres.newDatabase();
  }

  void run(BackendType backend, Path dir, String postgresUrl) throws Exception {
    Vertx vertx = Vertx.vertx();
    PiriServer server = PiriServer.start(vertx, config(backend, dir, postgresUrl)).await(120, TimeUnit.SECONDS);
    try {
      System.err.println("bench: " + backend.id() + ": search, filling " + rows + " jobs");
      long[] middle = fill(vertx, QUEUE, rows, 8);
      System.err.println("bench: " + backend.id() + ": search, filling " + keyedRows + " keyed jobs");
      fill(vertx, KEYED, keyedRows, 4);
      failSome(vertx);
      Map<String, JsonObject> kinds = new LinkedHashMap<>();
      kinds.put("id", new JsonObject().put("id", middle[0]));
      kinds.put("name", new JsonObject().put("name", "job-7"));
      kinds.put("dedupe_key", new JsonObject().put("name", "job-" + (keyedRows / 2 % NAMES)).put("dedupe_key", "key-" + keyedRows / 2));
      kinds.put("error_prefix", new JsonObject().put("error_prefix", "timeout"));
      kinds.put("payload", new JsonObject().put("payload", new JsonObject().put("path", "$.piece").put("value", "piece-" + rows / 2)));
      kinds.put("time", new JsonObject().put("from", middle[1]).put("to", middle[1] + 1_000));
      for (Map.Entry<String, JsonObject> k : kinds.entrySet()) {
        String queue = k.getKey().equals("dedupe_key") ? KEYED : QUEUE;
        double[] ms = firstPages(vertx, queue, k.getValue());
        System.out.println(String.format(Locale.ROOT, "bench %s search %.2f ms kind=%s p50_ms=%.2f rows=%d found=%d",
            backend.id(), percentile(ms, 0.95), k.getKey(), percentile(ms, 0.50), queue.equals(KEYED) ? keyedRows : rows,
            found(vertx, queue, k.getValue())));
        System.out.flush();
      }
    } finally {
      server.stop().await(60, TimeUnit.SECONDS);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static PiriConfig config(BackendType backend, Path dir, String postgresUrl) throws Exception {
    JsonObject queue = new JsonObject().put("store", "aggregator").put("lease", "30s").put("max_attempts", 2)
        .put("search_fields", new JsonArray().add("$.piece"));
    JsonObject keyed = new JsonObject().put("store", "aggregator").put("dedupe", true).put("block_repeats_on_dead", false);
    PiriConfig cfg = ConfigLoader.fromJson(new JsonObject().put("queues", new JsonObject().put(QUEUE, queue).put(KEYED, keyed)), Map.of());
    try (ServerSocket s = new ServerSocket(0)) {
      return cfg.with(dir.resolve("data"), backend, postgresUrl).withBridgePort(s.getLocalPort()).withHttpPort(0);
    }
  }

  /**
   * Enqueues {@code rows} jobs, {@code inFlight} batches at a time (a dedupe queue: below the
   * PostgreSQL pool's five connections, since it writes its jobs one by one); returns the middle
   * job's id and enqueue time.
   */
  private long[] fill(Vertx vertx, String queue, int rows, int inFlight) throws Exception {
    long[] middle = new long[2];
    for (int start = 0; start < rows; start += BATCH * inFlight) {
      if (start % 100_000 == 0 && start > 0) System.err.println("bench: " + queue + ": " + start + " jobs");
      List<Future<JsonObject>> batches = new ArrayList<>();
      for (int b = start; b < Math.min(rows, start + BATCH * inFlight); b += BATCH) {
        JsonArray jobs = new JsonArray();
        for (int i = b; i < Math.min(rows, b + BATCH); i++) {
          JsonObject job = new JsonObject().put("name", "job-" + (i % NAMES)).put("payload", new JsonObject().put("piece", "piece-" + i));
          jobs.add(queue.equals(KEYED) ? job.put("dedupe_key", "key-" + i) : job);
        }
        if (b <= rows / 2 && rows / 2 < b + BATCH) middle[1] = System.currentTimeMillis();
        batches.add(request(vertx, "enqueue-batch", new JsonObject().put("queue", queue).put("jobs", jobs)));
      }
      for (int i = 0; i < batches.size(); i++) {
        JsonObject r = batches.get(i).await(300, TimeUnit.SECONDS);
        int first = start + i * BATCH;
        if (first <= rows / 2 && rows / 2 < first + BATCH) middle[0] = r.getJsonArray("ids").getLong(rows / 2 - first);
      }
    }
    return middle;
  }

  /** The oldest jobs claimed and failed: half retried later (live, with an error), half dead letters. */
  private void failSome(Vertx vertx) throws Exception {
    JsonArray jobs = request(vertx, "claim", new JsonObject().put("queue", QUEUE).put("max", ERRORS).put("lease_ms", 600_000))
        .await(60, TimeUnit.SECONDS).getJsonArray("jobs");
    for (int i = 0; i < jobs.size(); i++) {
      JsonObject j = jobs.getJsonObject(i);
      JsonObject fail = new JsonObject().put("queue", QUEUE).put("id", j.getLong("id")).put("receipt", j.getString("receipt"))
          .put("error", "timeout: upstream " + i);
      fail.put(i % 2 == 0 ? "retry_in_ms" : "permanent", i % 2 == 0 ? (Object) 3_600_000 : (Object) true);
      request(vertx, "fail", fail).await(60, TimeUnit.SECONDS);
    }
  }

  private double[] firstPages(Vertx vertx, String queue, JsonObject by) throws Exception {
    JsonObject body = new JsonObject().put("queue", queue).put("by", by).put("limit", 50);
    for (int i = 0; i < WARMUP; i++) request(vertx, "search", body).await(30, TimeUnit.SECONDS);
    double[] ms = new double[samples];
    for (int i = 0; i < samples; i++) {
      long t = System.nanoTime();
      request(vertx, "search", body).await(30, TimeUnit.SECONDS);
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static int found(Vertx vertx, String queue, JsonObject by) throws Exception {
    return request(vertx, "search", new JsonObject().put("queue", queue).put("by", by).put("limit", 50))
        .await(30, TimeUnit.SECONDS).getJsonArray("jobs").size();
  }

  private static Future<JsonObject> request(Vertx vertx, String action, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(StoreId.AGGREGATOR.address(), body,
        new DeliveryOptions().addHeader(ActionRouter.ACTION_HEADER, action).setSendTimeout(300_000)).map(m -> m.body());
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }
}
