package io.piri.db.console;

import io.micrometer.core.instrument.MeterRegistry;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.QueueConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The operator console on the node's HTTP endpoint, under {@code console.prefix}: the page and
 * its files from the jar, the JSON API under {@code api/}, and server-sent events. It reaches the
 * stores only through their event-bus actions, like any Piri verticle, and holds no state of its
 * own but logins and the last hour's rates.
 */
public final class Console {
  private final EventHub hub;
  private final Rates rates;

  private Console(EventHub hub, Rates rates) {
    this.hub = hub;
    this.rates = rates;
  }

  /** Adds the console's routes to {@code router}; {@code health} answers as GET /health does. */
  public static Future<Console> start(Vertx vertx, PiriConfig config, Router router, MeterRegistry registry,
                                      Supplier<Future<JsonObject>> health) {
    PiriConfig.Console cc = config.console();
    String prefix = cc.prefix();
    StoreCalls stores = new BusStoreCalls(vertx);
    Queues queues = new Queues(config.queues());
    Redaction redaction = new Redaction(cc);
    Rates rates = new Rates(registry);
    Tokens tokens = new Tokens(vertx, new TokenFile(config.dataDir()));
    Sessions sessions = new Sessions(cc.sessionTtl().toMillis(), System::currentTimeMillis);
    Auth auth = new Auth(tokens, sessions, cc);
    QueueApi queueApi = new QueueApi(stores, queues, redaction, rates);
    SchedulerApi schedulerApi = new SchedulerApi(stores, config.taskTypes());
    Map<String, String> queueStores = new HashMap<>();
    for (QueueConfig q : config.queues().values()) queueStores.put(q.name(), q.store());
    EventHub hub = new EventHub(vertx, queueStores,
        queue -> () -> queueApi.counts(queue).map(c -> new JsonObject().put("store", c.getString("store")).put("queue", queue)
            .put("counts", c)),
        () -> () -> schedulerApi.tasks().map(t -> t.put("store", "scheduler").put("area", "tasks")));
    Console console = new Console(hub, rates);

    if (!prefix.equals("/")) {
      String bare = prefix.substring(0, prefix.length() - 1);
      router.get(bare).handler(ctx -> {
        if (ctx.request().path().equals(bare)) ctx.response().setStatusCode(301).putHeader("Location", prefix).end();
        else ctx.next();
      });
    }
    RouteTable table = new RouteTable(router, prefix, auth);
    queueApi.register(table);
    new DeadApi(stores, queues, redaction).register(table);
    new RollupsApi(stores, queues).register(table);
    new DedupeApi(stores, queues).register(table);
    new SearchApi(stores, queues, redaction).register(table);
    new BulkApi(stores, queues).register(table);
    schedulerApi.register(table);
    new PdpApi(stores).register(table);
    new AuthApi(tokens, sessions, prefix, cc.anonymousRead()).register(table);
    new NodeApi(vertx, config, stores, registry, health,
        () -> new JsonObject().put("prefix", prefix).put("event_streams", hub.clientCount()).put("logins", sessions.size())
            .put("anonymous_read", cc.anonymousRead()))
        .register(table);
    table.get("/events", Role.VIEWER, "server-sent events: queue, tasks, proofsets", hub::open);
    router.route(prefix + "api/*").handler(ctx -> Api.fail(ctx, ApiError.notFound("no API route " + ctx.request().method()
        + " " + ctx.request().path() + "; GET " + prefix + "api/routes lists them")));
    Assets assets = new Assets(vertx);
    router.get(prefix + "*").handler(ctx -> assets.serve(ctx, ctx.request().path().substring(prefix.length())));

    rates.start(vertx);
    return hub.start().map(console);
  }

  /** Open server-sent event streams; tests and the node screen read it. */
  public int eventClients() {
    return hub.clientCount();
  }

  public Future<Void> close() {
    rates.stop();
    return hub.stop();
  }
}
