package io.piri.db.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's Prometheus registry. Stores count into it as they work; the per-queue gauges are
 * read from the queue stores' {@code stats} when /metrics is scraped, so an idle node sends no
 * queries between scrapes.
 */
final class NodeMetrics {
  private static final String[] STATES = {"ready", "scheduled", "running", "dead"};
  private static final long STATS_TIMEOUT_MS = 5_000;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Refreshes the queue gauges from every queue store, then renders the registry. */
  Future<String> scrape(Vertx vertx) {
    List<Future<?>> asked = new ArrayList<>();
    for (StoreId store : StoreId.values()) {
      if (!store.holdsQueues()) continue;
      DeliveryOptions opts = new DeliveryOptions().setSendTimeout(STATS_TIMEOUT_MS).addHeader(ActionRouter.ACTION_HEADER, "stats");
      asked.add(vertx.eventBus().<JsonObject>request(store.address(), new JsonObject(), opts)
          .onSuccess(reply -> {
            gauge("piri.db.store.stats.up", store, null, null).set(1);
            reply.body().getJsonObject("queues").forEach(e -> {
              JsonObject counts = (JsonObject) e.getValue();
              for (String state : STATES) gauge("piri.db.queue.jobs", store, e.getKey(), state).set(counts.getLong(state, 0L));
            });
          })
          .onFailure(e -> gauge("piri.db.store.stats.up", store, null, null).set(0)));
    }
    // A store that does not answer leaves its last values, flagged by piri_db_store_stats_up 0.
    return Future.join(asked).transform(ar -> Future.succeededFuture(registry.scrape()));
  }

  private AtomicLong gauge(String name, StoreId store, String queue, String state) {
    return gauges.computeIfAbsent(name + " " + store.id() + " " + queue + " " + state, k -> {
      AtomicLong value = new AtomicLong();
      Gauge.Builder<AtomicLong> b = Gauge.builder(name, value, AtomicLong::get).tag("store", store.id());
      if (queue != null) {
        b.tag("queue", queue).tag("state", state).description("jobs per queue and state, read from stats at scrape time");
      } else {
        b.description("1 when the store answered stats at the last scrape, else 0");
      }
      b.register(registry);
      return value;
    });
  }
}
