package io.piri.db.console;

import io.piri.db.core.StoreId;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * PDP proving state: proof sets with their state and next challenge epoch, root and pending
 * message counts ({@code ps-counts}), one proof set and its timeline ({@code ps-timeline}).
 */
final class PdpApi {
  private final StoreCalls stores;

  PdpApi(StoreCalls stores) {
    this.stores = stores;
  }

  void register(RouteTable t) {
    t.operation(Operations.PS_LIST, "proof sets by id with proving state and counts: limit, after", Api.json(this::list));
    t.operation(Operations.PS_STATE, "one proof set: ps-state, its create message, counts", Api.json(this::one));
    t.operation(Operations.PS_TIMELINE, "one proof set's timeline, oldest first: limit, after", Api.json(this::timeline));
  }

  private Future<JsonObject> list(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("limit", Api.limit(ctx, 50));
    Long after = Api.optId(ctx, "after");
    if (after != null) body.put("after_id", after);
    return stores.call(StoreId.SCHEDULER, Operations.PS_LIST.action(), body).compose(r -> {
      JsonArray sets = r.getJsonArray("proof_sets");
      JsonArray ids = new JsonArray();
      sets.forEach(o -> ids.add(((JsonObject) o).getLong("id")));
      Object next = r.getValue("next_after_id");
      JsonObject out = new JsonObject().put("proof_sets", sets).put("next", next == null ? null : String.valueOf(next));
      return withCounts(out, sets, ids);
    });
  }

  private Future<JsonObject> one(RoutingContext ctx) {
    long id = Api.id(ctx, "id");
    return stores.call(StoreId.SCHEDULER, Operations.PS_STATE.action(), new JsonObject().put("proofset_id", id)).compose(state -> {
      JsonObject ps = state.getJsonObject("proof_set");
      String hash = ps.getString("create_message_hash");
      Future<JsonObject> create = hash == null ? Future.succeededFuture(null)
          : stores.call(StoreId.SCHEDULER, "ps-status-by-create-hash",
              new JsonObject().put("create_message_hash", hash).put("service", ps.getString("service")))
              .recover(e -> Future.succeededFuture(new JsonObject().put("error", e.getMessage())));
      return create.compose(c -> withCounts(state.put("create", c), new JsonArray().add(ps), new JsonArray().add(id)));
    });
  }

  /** The store's timeline of the proof set, oldest first, a page after the event id {@code after}. */
  private Future<JsonObject> timeline(RoutingContext ctx) {
    long id = Api.id(ctx, "id");
    JsonObject body = new JsonObject().put("proofset_id", id).put("limit", Api.limit(ctx, 100));
    Long after = Api.optId(ctx, "after");
    if (after != null) body.put("after", after);
    return stores.call(StoreId.SCHEDULER, Operations.PS_TIMELINE.action(), body).map(r -> {
      Object next = r.getValue("next");
      return new JsonObject().put("events", r.getJsonArray("events")).put("next", next == null ? null : String.valueOf(next));
    });
  }

  /** Adds {@code roots} and {@code pending_messages} to each proof set. */
  private Future<JsonObject> withCounts(JsonObject out, JsonArray sets, JsonArray ids) {
    if (ids.isEmpty()) return Future.succeededFuture(out);
    return stores.call(StoreId.SCHEDULER, "ps-counts", new JsonObject().put("proofset_ids", ids)).map(c -> {
      JsonObject counts = c.getJsonObject("counts");
      sets.forEach(o -> {
        JsonObject ps = (JsonObject) o;
        JsonObject n = counts.getJsonObject(String.valueOf(ps.getLong("id")));
        if (n != null) ps.put("roots", n.getValue("roots")).put("pending_messages", n.getValue("pending_messages"));
      });
      return out;
    });
  }
}
