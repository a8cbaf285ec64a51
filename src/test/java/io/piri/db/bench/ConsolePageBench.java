package io.piri.db.bench;

import io.piri.db.backend.Statements;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * {@code bench <backend> console-page <ms> ms first_ms=.. page5000_ms=.. last_ms=..}: one queue
 * holding 1M dead letters (quick: 20k), and the p95 of the console's dead-letter page
 * ({@code GET /api/queues/<queue>/dead?limit=200&after=<cursor>}) at its first page, at page
 * 5,000 and at its last page. The figure is the worst of the three. Page 5,000 is counted in the
 * console's default pages of 50 rows (row 249,950 of 1M: at 200 rows a page it would be the last
 * page itself); in the quick run it stands at the same fraction of the queue.
 */
public final class ConsolePageBench {
  private static final String QUEUE = "replication";
  private static final int LIMIT = 200;
  private static final long PAGE_5000_ROW = 4_999L * 50;
  private static final long FULL = 1_000_000;

  private ConsolePageBench() {}

  public static void main(String[] args) throws Exception {
    ConsoleBenchNode.main("ConsolePageBench", ConsolePageBench::run, args);
  }

  static void run(BackendType backend, boolean quick, Path dir) throws Exception {
    String name = backend.id();
    long n = quick ? 20_000 : FULL;
    PiriConfig cfg = ConsoleBenchNode.config(backend, dir.resolve("console-page"));
    Statements sql = ConsoleBenchNode.sql(cfg);
    ConsoleBenchNode.progress(name + ": console-page (seeding " + n + " dead letters)");
    long started = System.nanoTime();
    long middle;
    long last;
    long lastId;
    try (Connection c = ConsoleBenchNode.store(cfg, StoreId.REPLICATOR)) {
      long now = System.currentTimeMillis();
      c.setAutoCommit(false);
      ConsoleBenchNode.update(c, sql.get("dead"), QUEUE, now - 3_600_000, now - 60_000, n);
      c.commit();
      c.setAutoCommit(true);
      ConsoleBenchNode.finish(cfg, c);
      // A cursor is the id of the row before the page.
      middle = ConsoleBenchNode.queryLong(c, sql.get("first-dead-after"), QUEUE, PAGE_5000_ROW * n / FULL - 1);
      last = ConsoleBenchNode.queryLong(c, sql.get("first-dead-after"), QUEUE, n - LIMIT - 1);
      lastId = ConsoleBenchNode.queryLong(c, sql.get("first-dead-after"), QUEUE, n - 1);
    }
    ConsoleBenchNode.progress(name + ": console-page seeded in " + ConsoleBenchNode.fmt(ConsoleBenchNode.seconds(started)) + " s");
    double[] p95;
    try (ConsoleBenchNode node = ConsoleBenchNode.start(cfg)) {
      JsonArray tail = node.get(path(last)).getJsonArray("jobs");
      if (tail.size() != LIMIT || tail.getJsonObject(LIMIT - 1).getLong("id") != lastId) {
        throw new IllegalStateException("the last page does not end at the queue's last dead letter " + lastId);
      }
      p95 = node.p95(path(null), path(middle), path(last));
    }
    double first = p95[0];
    double page5000 = p95[1];
    double lastMs = p95[2];
    double worst = Math.max(first, Math.max(page5000, lastMs));
    System.out.println("bench " + name + " console-page " + ConsoleBenchNode.fmt(worst) + " ms first_ms=" + ConsoleBenchNode.fmt(first)
        + " page5000_ms=" + ConsoleBenchNode.fmt(page5000) + " last_ms=" + ConsoleBenchNode.fmt(lastMs));
    System.out.flush();
  }

  private static String path(Long after) {
    return "api/queues/" + QUEUE + "/dead?limit=" + LIMIT + (after == null ? "" : "&after=" + after);
  }
}
