package io.piri.db.console;

import io.piri.db.config.QueueConfig;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Where a dedupe key of a queue is: the store's {@code dedupe-lookup}, from the queue screen's form. */
record DedupeApi(StoreCalls stores, Queues queues) {
  void register(RouteTable t) {
    t.operation(Operations.DEDUPE_LOOKUP, "where a dedupe key is (live job, done, dead letter): name and key, or name and payload (JSON)",
        Api.json(this::lookup));
  }

  private Future<JsonObject> lookup(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    String name = ctx.request().getParam("name");
    if (name == null || name.isEmpty()) throw ApiError.invalid("parameter 'name' is required: the job name");
    String key = ctx.request().getParam("key");
    String payload = ctx.request().getParam("payload");
    if ((key == null || key.isEmpty()) == (payload == null || payload.isEmpty())) {
      throw ApiError.invalid("give parameter 'key' (the dedupe_key of the enqueue) or 'payload' (the job's JSON payload), not both");
    }
    JsonObject body = new JsonObject().put("queue", q.name()).put("name", name);
    if (key != null && !key.isEmpty()) {
      body.put("dedupe_key", key);
    } else {
      try {
        body.put("payload", Json.decodeValue(payload));
      } catch (DecodeException e) {
        throw ApiError.invalid("parameter 'payload' must be JSON");
      }
    }
    return stores.call(Queues.store(q), Operations.DEDUPE_LOOKUP.action(), body);
  }
}
