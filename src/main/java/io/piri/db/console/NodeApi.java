package io.piri.db.console;

import io.piri.db.ops.Operations;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.piri.db.core.StoreId;
import io.piri.db.core.Version;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The node: backend and where its data is (the database URL masked), versions, each store's
 * schema version ({@code ping}), cluster members, pool use, health; and the audit rows
 * ({@code audit-list}, per store).
 */
final class NodeApi {
  private static final String VERTX_VERSION = vertxVersion();

  private final Vertx vertx;
  private final PiriConfig config;
  private final StoreCalls stores;
  private final MeterRegistry registry;
  private final Supplier<Future<JsonObject>> health;
  private final Supplier<JsonObject> consoleState;

  NodeApi(Vertx vertx, PiriConfig config, StoreCalls stores, MeterRegistry registry, Supplier<Future<JsonObject>> health,
          Supplier<JsonObject> consoleState) {
    this.vertx = vertx;
    this.config = config;
    this.stores = stores;
    this.registry = registry;
    this.health = health;
    this.consoleState = consoleState;
  }

  void register(RouteTable t) {
    t.get("/node", Role.VIEWER, "backend, data_dir or database (masked), versions, schema versions, cluster, pools",
        Api.json(ctx -> node()));
    t.get("/health", Role.VIEWER, "the node's health, as GET /health", Api.json(ctx -> health.get()));
    t.operation(Operations.AUDIT_LIST, "one store's audit rows, newest first: store, limit, after", Api.json(this::audit));
    t.get("/routes", Role.VIEWER, "this list", Api.json(ctx -> Future.succeededFuture(t.toJson())));
  }

  private Future<JsonObject> node() {
    JsonObject out = new JsonObject().put("version", Version.PIRI_DB).put("java", System.getProperty("java.version"))
        .put("vertx", VERTX_VERSION).put("backend", config.backend().id())
        .put("http", config.http().host() + ":" + config.http().port())
        .put("bridge", config.bridgeHost() + ":" + config.bridgePort())
        .put("console", consoleState.get());
    if (config.backend() == BackendType.POSTGRES) out.put("database", config.postgres().maskedUrl());
    else out.put("data_dir", config.dataDir().toAbsolutePath().toString());
    out.put("pools", pools());
    JsonObject storeInfo = new JsonObject();
    List<Future<?>> asked = new ArrayList<>();
    for (StoreId s : StoreId.values()) {
      asked.add(stores.call(s, "ping", new JsonObject())
          .onSuccess(r -> storeInfo.put(s.id(), r.put("up", true)))
          .onFailure(e -> storeInfo.put(s.id(), new JsonObject().put("up", false).put("error", e.getMessage()))));
    }
    return Future.join(asked).transform(ar -> cluster()).map(c -> out.put("cluster", c).put("stores", storeInfo));
  }

  private Future<JsonObject> cluster() {
    PiriConfig.Cluster c = config.cluster();
    JsonObject out = new JsonObject().put("enabled", c.enabled()).put("name", c.name()).put("stores_here", c.stores())
        .put("members", new JsonArray(new ArrayList<>(c.members())));
    if (!c.enabled() || !(vertx instanceof VertxInternal vi) || vi.clusterManager() == null) return Future.succeededFuture(out);
    return vertx.executeBlocking(() -> new JsonArray(new ArrayList<>(vi.clusterManager().getNodes())))
        .map(nodes -> out.put("nodes", nodes).put("this_node", vi.clusterManager().getNodeId()))
        .recover(e -> Future.succeededFuture(out.put("nodes_error", e.getMessage())));
  }

  /** Connection pools and SQLite writers, as /metrics shows them. */
  private JsonArray pools() {
    JsonArray out = new JsonArray();
    for (Meter m : registry.getMeters()) {
      String name = m.getId().getName();
      if (!name.startsWith("piri.db.pg.pool") && !name.startsWith("piri.db.sqlite")) continue;
      JsonObject row = new JsonObject().put("meter", name).put("store", m.getId().getTag("store"));
      m.measure().forEach(ms -> row.put(ms.getStatistic().getTagValueRepresentation(), ms.getValue()));
      out.add(row);
    }
    return out;
  }

  private Future<JsonObject> audit(RoutingContext ctx) {
    String storeName = ctx.request().getParam("store", "replicator");
    StoreId store;
    try {
      store = StoreId.parse(storeName);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("parameter 'store' must be scheduler, replicator, aggregator or egress_tracker, got '" + storeName + "'");
    }
    JsonObject body = new JsonObject().put("limit", Api.limit(ctx, 50));
    Long after = Api.optId(ctx, "after");
    if (after != null) body.put("before_id", after);
    return stores.call(store, Operations.AUDIT_LIST.action(), body).map(r -> {
      Object next = r.getValue("next_before_id");
      return new JsonObject().put("store", store.id()).put("rows", r.getJsonArray("rows"))
          .put("next", next == null ? null : String.valueOf(next));
    });
  }

  private static String vertxVersion() {
    try (InputStream in = Vertx.class.getClassLoader().getResourceAsStream("META-INF/vertx/vertx-version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
