package io.piri.db.console;

import io.piri.db.config.QueueConfig;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Search: the query parameters become the store's {@code search} request, which validates them
 * (each refusal names the field) and answers one keyset page; payloads are redacted as on every
 * other screen.
 */
record SearchApi(StoreCalls stores, Queues queues, Redaction redaction) {
  private static final List<String> TEXT = List.of("name", "dedupe_key", "error_prefix");

  void register(RouteTable t) {
    t.operation(Operations.SEARCH,
        "search by id, name (+dedupe_key), error_prefix, path + value, from/to; state, limit, after", Api.json(this::search));
  }

  private Future<JsonObject> search(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    JsonObject body = new JsonObject().put("queue", q.name()).put("by", by(ctx)).put("limit", Api.limit(ctx, 50));
    String state = param(ctx, "state");
    if (state != null) body.put("state", state);
    String after = param(ctx, "after");
    if (after != null) body.put("after", after);
    return stores.call(Queues.store(q), Operations.SEARCH.action(), body).map(r -> {
      JsonArray jobs = new JsonArray();
      for (Object o : r.getJsonArray("jobs")) jobs.add(redaction.apply(q.name(), (JsonObject) o));
      return new JsonObject().put("jobs", jobs).put("next", r.getValue("next"));
    });
  }

  private static JsonObject by(RoutingContext ctx) {
    JsonObject by = new JsonObject();
    Long id = Api.optId(ctx, "id");
    if (id != null) by.put("id", id);
    for (String k : TEXT) {
      String v = param(ctx, k);
      if (v != null) by.put(k, v);
    }
    String path = param(ctx, "path");
    String value = param(ctx, "value");
    if (path != null || value != null) {
      if (path == null || value == null) throw ApiError.invalid("parameters 'path' and 'value' go together (a payload field)");
      by.put("payload", new JsonObject().put("path", path).put("value", json(value)));
    }
    Long from = Api.optId(ctx, "from");
    if (from != null) by.put("from", from);
    Long to = Api.optId(ctx, "to");
    if (to != null) by.put("to", to);
    return by;
  }

  /** A field's value: JSON when it parses (7, true, {"/": "bafy..."}), else the text itself. */
  private static Object json(String text) {
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isEmpty() ? null : v;
  }
}
