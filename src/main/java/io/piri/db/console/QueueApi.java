package io.piri.db.console;

import io.piri.db.core.StoreId;
import io.piri.db.config.QueueConfig;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Queues and their live jobs: counts of every queue, one state's jobs page by page, one job, its
 * deliveries, pause and resume. Counts (and whether a queue is paused) come from each store's
 * {@code stats}; jobs from the store actions that page by key ({@code jobs-page},
 * {@code job-deliveries}) and {@code job-get}.
 */
final class QueueApi {
  private static final Set<String> STATES = Set.of("ready", "scheduled", "running");

  private final StoreCalls stores;
  private final Queues queues;
  private final Redaction redaction;
  private final Rates rates;

  QueueApi(StoreCalls stores, Queues queues, Redaction redaction, Rates rates) {
    this.stores = stores;
    this.queues = queues;
    this.redaction = redaction;
    this.rates = rates;
  }

  void register(RouteTable t) {
    t.operation(Operations.STATS, "every queue: store, ready, scheduled, running, dead, done, lag_ms, per-minute rates",
        Api.json(ctx -> overview()));
    t.operation(Operations.JOBS, "one state's jobs, keyset-paged: state, limit, after", Api.json(this::jobs));
    t.operation(Operations.JOB_GET, "one job, live or dead-lettered (payload redacted)", Api.json(ctx -> job(ctx, null)));
    t.post("/queues/:queue/jobs/:id/reveal", Role.OPERATOR, "one job with its payload",
        Api.json(ctx -> job(ctx, Auth.principal(ctx))));
    t.get("/queues/:queue/jobs/:id/deliveries", Role.VIEWER, "a job's deliveries: attempts, leases, extends, errors",
        Api.json(this::deliveries));
    t.operation(Operations.PAUSE, "stop claims of one queue", Api.json(ctx -> control(ctx, Operations.PAUSE.action())));
    t.operation(Operations.RESUME, "let claims of one queue run again", Api.json(ctx -> control(ctx, Operations.RESUME.action())));
  }

  /** Counts of every queue, each store asked once; a store that fails is named, the others shown. */
  Future<JsonObject> overview() {
    JsonObject out = new JsonObject();
    JsonObject storeState = new JsonObject();
    List<Future<?>> asked = new ArrayList<>();
    for (StoreId store : StoreId.values()) {
      if (!store.holdsQueues()) continue;
      asked.add(stores.call(store, Operations.STATS.action(), new JsonObject())
          .onSuccess(r -> {
            storeState.put(store.id(), new JsonObject().put("up", true));
            r.getJsonObject("queues").forEach(e -> out.put(e.getKey(), ((JsonObject) e.getValue()).copy().put("store", store.id())));
          })
          .onFailure(e -> storeState.put(store.id(), new JsonObject().put("up", false).put("error", e.getMessage()))));
    }
    return Future.join(asked).transform(ar -> {
      List<Future<?>> lags = new ArrayList<>();
      long now = System.currentTimeMillis();
      out.forEach(e -> lags.add(oldestReady(e.getKey()).onSuccess(at -> ((JsonObject) e.getValue())
          .put("oldest_ready_at", at).put("lag_ms", at == null ? null : Math.max(0, now - at)))));
      return Future.join(lags).transform(x -> {
        out.forEach(e -> ((JsonObject) e.getValue()).put("rates", rates.recent(e.getKey())));
        return Future.succeededFuture(new JsonObject().put("queues", out).put("stores", storeState)
            .put("at", System.currentTimeMillis()));
      });
    });
  }

  /**
   * One queue's counts, as the event hub pushes them: with the due time of the oldest ready job
   * rather than its age, which would differ at every read; the page ages it.
   */
  Future<JsonObject> counts(String queue) {
    QueueConfig q = queues.all().get(queue);
    return stores.call(Queues.store(q), Operations.STATS.action(), new JsonObject().put("queue", queue))
        .map(r -> r.getJsonObject("queues").getJsonObject(queue).copy().put("store", q.store()))
        .compose(c -> oldestReady(queue).map(at -> c.put("oldest_ready_at", at)));
  }

  /** Due time of the oldest ready job (null when none is ready): the first row in claim order. */
  private Future<Long> oldestReady(String queue) {
    QueueConfig q = queues.all().get(queue);
    if (q == null) return Future.succeededFuture(null);
    return stores.call(Queues.store(q), Operations.JOBS.action(), new JsonObject().put("queue", queue).put("state", "ready").put("limit", 1))
        .map(r -> {
          JsonArray jobs = r.getJsonArray("jobs");
          return jobs.isEmpty() ? null : jobs.getJsonObject(0).getLong("run_at");
        });
  }

  /** One page of jobs in one state: the store pages by key ({@code jobs-page}). */
  private Future<JsonObject> jobs(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    String state = ctx.request().getParam("state", "ready");
    if (!STATES.contains(state)) throw ApiError.invalid("parameter 'state' must be ready, scheduled or running, got '" + state + "'");
    int limit = Api.limit(ctx, 50);
    String after = ctx.request().getParam("after");
    if (after != null && (after.isEmpty() || after.length() > 512)) throw ApiError.invalid("parameter 'after' must be a cursor from 'next'");
    JsonObject body = new JsonObject().put("queue", q.name()).put("state", state).put("limit", limit);
    if (after != null) body.put("after", after);
    return stores.call(Queues.store(q), Operations.JOBS.action(), body)
        .map(r -> new JsonObject().put("jobs", redacted(q.name(), r.getJsonArray("jobs"))).put("next", r.getValue("next")));
  }

  private Future<JsonObject> job(RoutingContext ctx, Principal revealFor) {
    QueueConfig q = queues.of(ctx);
    long id = Api.id(ctx, "id");
    JsonObject body = new JsonObject().put("queue", q.name()).put("id", id);
    return stores.call(Queues.store(q), Operations.JOB_GET.action(), body).map(r -> {
      JsonObject job = r.getJsonObject("job");
      if (revealFor == null) return new JsonObject().put("job", redaction.apply(q.name(), job));
      Audit.record(revealFor, Queues.store(q), "reveal-payload", body, "shown");
      return new JsonObject().put("job", job);
    });
  }

  private Future<JsonObject> deliveries(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    JsonObject body = new JsonObject().put("queue", q.name()).put("id", Api.id(ctx, "id")).put("limit", Api.limit(ctx, 100));
    String after = ctx.request().getParam("after");
    if (after != null) body.put("after", after);
    return stores.call(Queues.store(q), "job-deliveries", body);
  }

  private Future<JsonObject> control(RoutingContext ctx, String action) {
    QueueConfig q = queues.of(ctx);
    Principal who = Auth.principal(ctx);
    JsonObject body = new JsonObject().put("queue", q.name());
    return stores.change(Queues.store(q), action, body, who)
        .andThen(ar -> Audit.record(who, Queues.store(q), action, body, ar.succeeded() ? ar.result().encode() : "failed: " + ar.cause().getMessage()));
  }

  private JsonArray redacted(String queue, JsonArray jobs) {
    JsonArray out = new JsonArray();
    for (Object o : jobs) out.add(redaction.apply(queue, (JsonObject) o));
    return out;
  }
}
