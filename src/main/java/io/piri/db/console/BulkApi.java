package io.piri.db.console;

import io.piri.db.config.QueueConfig;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Bulk operations of a queue: start one on everything a filter matches (the store checks the
 * filter), follow its progress, cancel it, list the latest. Operation ids are the queue store's.
 */
record BulkApi(StoreCalls stores, Queues queues) {
  void register(RouteTable t) {
    t.operation(Operations.BULK_LIST, "the queue's latest bulk operations", Api.json(this::list));
    t.operation(Operations.BULK_START,
        "start a bulk operation: {\"op\": \"requeue\"|\"purge\"|\"cancel\", \"filter\": {..}}", Api.json(this::start));
    t.operation(Operations.BULK_STATUS, "one bulk operation's progress", Api.json(this::status));
    t.operation(Operations.BULK_CANCEL, "stop a running bulk operation", Api.json(this::cancel));
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    return stores.call(Queues.store(q), Operations.BULK_LIST.action(), new JsonObject().put("queue", q.name()).put("limit", 20));
  }

  private Future<JsonObject> start(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    JsonObject in = Api.body(ctx);
    for (String k : in.fieldNames()) {
      if (!k.equals("op") && !k.equals("filter")) throw ApiError.invalid("unknown field '" + k + "'; give 'op' and 'filter'");
    }
    JsonObject body = in.copy().put("queue", q.name());
    Principal who = Auth.principal(ctx);
    return stores.change(Queues.store(q), Operations.BULK_START.action(), body, who).andThen(ar -> Audit.record(who, Queues.store(q), Operations.BULK_START.action(),
        body, ar.succeeded() ? "operation=" + ar.result().getValue("operation") + " matching=" + ar.result().getValue("matching")
            : "failed: " + ar.cause().getMessage()));
  }

  private Future<JsonObject> status(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    long id = Api.id(ctx, "id");
    return ofQueue(q, id, stores.call(Queues.store(q), Operations.BULK_STATUS.action(), new JsonObject().put("operation", id)));
  }

  private Future<JsonObject> cancel(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    long id = Api.id(ctx, "id");
    Principal who = Auth.principal(ctx);
    // Checked first: an operation of another queue of the same store is not this route's to stop.
    return ofQueue(q, id, stores.call(Queues.store(q), Operations.BULK_STATUS.action(), new JsonObject().put("operation", id)))
        .compose(op -> stores.change(Queues.store(q), Operations.BULK_CANCEL.action(), new JsonObject().put("operation", id), who))
        .andThen(ar -> Audit.record(who, Queues.store(q), Operations.BULK_CANCEL.action(), new JsonObject().put("operation", id),
            ar.succeeded() ? "done=" + ar.result().getValue("done") : "failed: " + ar.cause().getMessage()));
  }

  private static Future<JsonObject> ofQueue(QueueConfig q, long id, Future<JsonObject> op) {
    return op.map(o -> {
      if (!q.name().equals(o.getString("queue"))) throw ApiError.notFound("no bulk operation " + id + " in queue '" + q.name() + "'");
      return o;
    });
  }
}
