package io.piri.db.bench;

import io.piri.db.bus.ActionRouter;
import io.piri.db.core.StoreId;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The operators' job pages over a deep backlog: every page of a queue's ready jobs, walked forward
 * with {@code jobs-page} cursors, one request at a time. Keyset paging makes every page one walk of
 * the index from its cursor, so the first, middle and last pages cost the same; prints one line:
 * {@code bench <backend> pages <p50> ms p99_ms= first_ms= middle_ms= last_ms= pages= limit=}.
 */
final class JobsPageBench {
  private static final int LIMIT = 100;

  private JobsPageBench() {}

  static void run(Vertx vertx, String backend, String queue) throws Exception {
    DeliveryOptions opts = new DeliveryOptions().addHeader(ActionRouter.ACTION_HEADER, "jobs-page").setSendTimeout(60_000);
    List<Double> ms = new ArrayList<>();
    String after = null;
    int jobs = 0;
    do {
      JsonObject body = new JsonObject().put("queue", queue).put("state", "ready").put("limit", LIMIT);
      if (after != null) body.put("after", after);
      long start = System.nanoTime();
      JsonObject page = vertx.eventBus().<JsonObject>request(StoreId.REPLICATOR.address(), body, opts)
          .await(60, TimeUnit.SECONDS).body();
      ms.add((System.nanoTime() - start) / 1e6);
      jobs += page.getJsonArray("jobs").size();
      after = page.getString("next");
    } while (after != null);
    List<Double> sorted = new ArrayList<>(ms);
    sorted.sort(null);
    System.out.println("bench " + backend + " pages " + fmt(at(sorted, 0.50)) + " ms p99_ms=" + fmt(at(sorted, 0.99))
        + " first_ms=" + fmt(ms.get(0)) + " middle_ms=" + fmt(ms.get(ms.size() / 2)) + " last_ms=" + fmt(ms.get(ms.size() - 1))
        + " pages=" + ms.size() + " jobs=" + jobs + " limit=" + LIMIT);
    System.out.flush();
  }

  private static double at(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
