package io.piri.db.bench;

import io.piri.db.backend.Statements;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * {@code bench <backend> console-overview <ms> ms rows=..}: 10M jobs in total (quick: 100k),
 * spread evenly over every configured queue of the queue stores, each queue's half ready, a tenth
 * scheduled, a tenth running and the rest dead letters; the p95 of the console's overview
 * ({@code GET /api/queues}). The overview's counts are checked to add up to every row.
 */
public final class ConsoleOverviewBench {
  private static final long DAY_MS = 86_400_000L;

  private ConsoleOverviewBench() {}

  public static void main(String[] args) throws Exception {
    ConsoleBenchNode.main("ConsoleOverviewBench", ConsoleOverviewBench::run, args);
  }

  static void run(BackendType backend, boolean quick, Path dir) throws Exception {
    String name = backend.id();
    long total = quick ? 100_000 : 10_000_000;
    PiriConfig cfg = ConsoleBenchNode.config(backend, dir.resolve("console-overview"));
    Statements sql = ConsoleBenchNode.sql(cfg);
    List<QueueConfig> queues = List.copyOf(cfg.queues().values());
    long perQueue = total / queues.size();
    ConsoleBenchNode.progress(name + ": console-overview (seeding " + perQueue * queues.size() + " rows in "
        + queues.size() + " queues)");
    long started = System.nanoTime();
    long now = System.currentTimeMillis();
    long seeded = 0;
    for (StoreId store : StoreId.values()) {
      if (!store.holdsQueues()) continue;
      try (Connection c = ConsoleBenchNode.store(cfg, store)) {
        c.setAutoCommit(false);
        for (QueueConfig q : queues) {
          if (!q.store().equals(store.id())) continue;
          long ready = perQueue / 2;
          long scheduled = perQueue / 10;
          long running = perQueue / 10;
          long dead = perQueue - ready - scheduled - running;
          // Nothing falls due while the bench runs: the stores' due-time passes have nothing to do.
          ConsoleBenchNode.update(c, sql.get("jobs"), q.name(), "ready", now - 3_600_000, now - 60_000, ready);
          ConsoleBenchNode.update(c, sql.get("jobs"), q.name(), "scheduled", now - 3_600_000, now + DAY_MS, scheduled);
          ConsoleBenchNode.update(c, sql.get("jobs"), q.name(), "running", now - 3_600_000, now + DAY_MS, running);
          ConsoleBenchNode.update(c, sql.get("dead"), q.name(), now - 3_600_000, now - 60_000, dead);
          c.commit();
          seeded += perQueue;
        }
        c.setAutoCommit(true);
        ConsoleBenchNode.finish(cfg, c);
      }
    }
    ConsoleBenchNode.progress(name + ": console-overview seeded in " + ConsoleBenchNode.fmt(ConsoleBenchNode.seconds(started)) + " s");
    double p95;
    try (ConsoleBenchNode node = ConsoleBenchNode.start(cfg)) {
      long counted = 0;
      JsonObject overview = node.get("api/queues").getJsonObject("queues");
      for (String q : overview.fieldNames()) {
        JsonObject c = overview.getJsonObject(q);
        counted += c.getLong("ready") + c.getLong("scheduled") + c.getLong("running") + c.getLong("dead");
      }
      if (counted != seeded) throw new IllegalStateException("the overview counts " + counted + " rows, not " + seeded);
      p95 = node.p95("api/queues")[0];
    }
    System.out.println("bench " + name + " console-overview " + ConsoleBenchNode.fmt(p95) + " ms rows=" + seeded);
    System.out.flush();
  }
}
