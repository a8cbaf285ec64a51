package io.piri.db.console;

import io.piri.db.config.QueueConfig;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Dead letters: pages by their own id ({@code dead-list}'s {@code after_id}, a keyset cursor,
 * never an offset), one dead letter, its payload on request, and requeue or purge of chosen ids
 * or of all of a queue's dead letters.
 */
record DeadApi(StoreCalls stores, Queues queues, Redaction redaction) {
  private static final int MAX_IDS = 1000;

  void register(RouteTable t) {
    t.operation(Operations.DEAD_LIST, "dead letters by id: limit, after", Api.json(this::page));
    t.get("/queues/:queue/dead/:id", Role.VIEWER, "one dead letter (payload redacted)", Api.json(ctx -> one(ctx, null)));
    t.post("/queues/:queue/dead/:id/reveal", Role.OPERATOR, "one dead letter with its payload",
        Api.json(ctx -> one(ctx, Auth.principal(ctx))));
    t.operation(Operations.DEAD_REQUEUE, "requeue dead letters: {\"ids\": [..]} or {\"all\": true}",
        Api.json(ctx -> change(ctx, Operations.DEAD_REQUEUE.action(), "requeued")));
    t.operation(Operations.DEAD_PURGE, "delete dead letters: {\"ids\": [..]} or {\"all\": true}",
        Api.json(ctx -> change(ctx, Operations.DEAD_PURGE.action(), "purged")));
  }

  private Future<JsonObject> page(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    int limit = Api.limit(ctx, 50);
    Long after = Api.optId(ctx, "after");
    JsonObject body = new JsonObject().put("queue", q.name()).put("limit", limit);
    if (after != null) body.put("after_id", after);
    return stores.call(Queues.store(q), Operations.DEAD_LIST.action(), body).map(r -> {
      JsonArray jobs = new JsonArray();
      for (Object o : r.getJsonArray("jobs")) jobs.add(redaction.apply(q.name(), (JsonObject) o));
      Object next = r.getValue("next_after_id");
      return new JsonObject().put("jobs", jobs).put("next", next == null ? null : String.valueOf(next));
    });
  }

  /** One dead letter: the page of one row that starts right after id - 1. */
  private Future<JsonObject> one(RoutingContext ctx, Principal revealFor) {
    QueueConfig q = queues.of(ctx);
    long id = Api.id(ctx, "id");
    if (id < 1) throw ApiError.notFound("no dead letter " + id + " in queue '" + q.name() + "'");
    JsonObject body = new JsonObject().put("queue", q.name()).put("limit", 1).put("after_id", id - 1);
    return stores.call(Queues.store(q), Operations.DEAD_LIST.action(), body).map(r -> {
      JsonArray jobs = r.getJsonArray("jobs");
      if (jobs.isEmpty() || jobs.getJsonObject(0).getLong("id") != id) {
        throw ApiError.notFound("no dead letter " + id + " in queue '" + q.name() + "'");
      }
      JsonObject job = jobs.getJsonObject(0);
      if (revealFor == null) return new JsonObject().put("job", redaction.apply(q.name(), job));
      Audit.record(revealFor, Queues.store(q), "reveal-payload", new JsonObject().put("queue", q.name()).put("dead_id", id), "shown");
      return new JsonObject().put("job", job);
    });
  }

  private Future<JsonObject> change(RoutingContext ctx, String action, String countField) {
    QueueConfig q = queues.of(ctx);
    JsonObject in = Api.body(ctx);
    for (String k : in.fieldNames()) {
      if (!k.equals("ids") && !k.equals("all")) throw ApiError.invalid("unknown field '" + k + "'; give 'ids' or 'all'");
    }
    JsonObject body = new JsonObject().put("queue", q.name());
    if (in.containsKey("all")) {
      if (in.containsKey("ids")) throw ApiError.invalid("give either 'ids' or 'all', not both");
      if (!Boolean.TRUE.equals(in.getValue("all"))) throw ApiError.invalid("field 'all' must be true");
      body.put("all", true);
    } else {
      body.put("ids", ids(in.getValue("ids")));
    }
    Principal who = Auth.principal(ctx);
    return stores.change(Queues.store(q), action, body, who).andThen(ar -> Audit.record(who, Queues.store(q), action, body,
        ar.succeeded() ? countField + "=" + ar.result().getValue(countField) : "failed: " + ar.cause().getMessage()));
  }

  private static JsonArray ids(Object v) {
    if (!(v instanceof JsonArray arr) || arr.isEmpty() || arr.size() > MAX_IDS) {
      throw ApiError.invalid("field 'ids' must be an array of 1.." + MAX_IDS + " dead-letter ids (or give \"all\": true)");
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < arr.size(); i++) {
      Object o = arr.getValue(i);
      if (!(o instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
        throw ApiError.invalid("field 'ids[" + i + "]' must be a positive integer");
      }
      out.add(n.longValue());
    }
    return out;
  }
}
