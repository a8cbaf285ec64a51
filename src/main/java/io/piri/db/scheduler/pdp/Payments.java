package io.piri.db.scheduler.pdp;

import io.piri.db.core.Clock;
import io.piri.db.backend.Row;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The admin payment waits (piri-scheduler.md 3.9): one settlement wait per rail and the
 * withdrawal waits, each put together with its message wait in one transaction. A put while the
 * previous message is still pending is a 409.
 */
record Payments(Sql sql, Messages messages, Clock clock) {
  void register(ActionRouter r) {
    r.on("pay-rail-wait-get", this::railGet)
        .on("pay-rail-wait-put", this::railPut)
        .on("pay-rail-wait-delete", this::railDelete)
        .on("pay-withdrawal-wait-latest", this::withdrawalLatest)
        .on("pay-withdrawal-wait-put", this::withdrawalPut)
        .on("pay-withdrawal-wait-delete", this::withdrawalDelete);
  }

  private Future<JsonObject> railGet(Request req) {
    req.only(Set.of("rail_id"));
    String id = Fields.railId(req);
    return sql.first("rail-get", id).map(r -> {
      if (r == null) throw BusException.notFound("no settlement wait for rail " + id);
      return waitRow(r, "rail_id");
    });
  }

  private Future<JsonObject> railPut(Request req) {
    req.only(Set.of("rail_id", "signed_tx_hash"));
    String id = Fields.railId(req);
    String hash = Fields.hash(req, "signed_tx_hash");
    long now = clock.now();
    return sql.write("field 'signed_tx_hash': " + hash + " is already used", null, c -> sql.run(c, "rail-get", id).compose(rows -> {
      Row r = rows.first();
      if (r != null && "pending".equals(r.string("tx_status"))) {
        throw BusException.conflict("rail " + id + " has a settlement in progress (" + r.string("signed_tx_hash") + ")");
      }
      return sql.run(c, "rail-delete", id)
          .compose(v -> messages.insertWait(c, hash, true))
          .compose(v -> sql.run(c, "rail-insert", id, hash, now))
          .map(v -> new JsonObject().put("rail_id", id).put("signed_tx_hash", hash).put("created_at", now));
    }));
  }

  private Future<JsonObject> railDelete(Request req) {
    req.only(Set.of("rail_id"));
    String id = Fields.railId(req);
    return sql.write(null, null, c -> sql.run(c, "rail-delete", id)).map(r -> new JsonObject().put("deleted", r.updated() > 0));
  }

  private Future<JsonObject> withdrawalLatest(Request req) {
    req.only(Set.of());
    return sql.first("withdrawal-latest").map(r -> {
      return new JsonObject().put("found", r != null).put("wait", r == null ? null : waitRow(r, "id"));
    });
  }

  private Future<JsonObject> withdrawalPut(Request req) {
    req.only(Set.of("signed_tx_hash"));
    String hash = Fields.hash(req, "signed_tx_hash");
    long now = clock.now();
    return sql.write("field 'signed_tx_hash': " + hash + " is already used", null, c -> sql.run(c, "withdrawal-latest").compose(rows -> {
      Row r = rows.first();
      if (r != null && "pending".equals(r.string("tx_status"))) {
        throw BusException.conflict("a withdrawal is in progress (" + r.string("signed_tx_hash") + ")");
      }
      return messages.insertWait(c, hash, true)
          .compose(v -> sql.run(c, "withdrawal-insert", hash, now))
          .map(ins -> new JsonObject().put("id", ins.first().longValue("id")).put("signed_tx_hash", hash)
              .put("created_at", now));
    }));
  }

  private Future<JsonObject> withdrawalDelete(Request req) {
    req.only(Set.of("id"));
    long id = Fields.id(req, "id");
    return sql.write(null, null, c -> sql.run(c, "withdrawal-delete", id)).map(r -> new JsonObject().put("deleted", r.updated() > 0));
  }

  private static JsonObject waitRow(Row r, String key) {
    JsonObject out = Replies.copy(r, new JsonObject(), key, "signed_tx_hash", "created_at", "tx_status");
    return Replies.bools(r, out, "tx_success");
  }
}
