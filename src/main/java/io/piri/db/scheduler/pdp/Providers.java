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
 * Provider registration (piri-scheduler.md 3.5), fixed (D5): a trigger records the registration
 * message's outcome in {@code ok}, a registration whose message failed no longer blocks a new one,
 * and one confirmed with success can be marked registered.
 */
record Providers(Sql sql, Messages messages, Clock clock) {
  void register(ActionRouter r) {
    r.on("provider-pending-registration", this::pending)
        .on("provider-record-registration", this::record)
        .on("provider-mark-registered", this::markRegistered);
  }

  private Future<JsonObject> pending(Request req) {
    req.only(Set.of("service"));
    String service = Fields.service(req);
    return sql.first("reg-pending", service).map(r -> {
      return new JsonObject().put("pending", r != null).put("registration", r == null ? null : registration(r));
    });
  }

  /** The wait and the registration in one transaction; a 409 while one is in progress (item 49). */
  private Future<JsonObject> record(Request req) {
    req.only(Set.of("register_message_hash", "service"));
    String hash = Fields.hash(req, "register_message_hash");
    String service = Fields.service(req);
    return sql.write("field 'register_message_hash': " + hash + " is already recorded", null,
        c -> sql.run(c, "reg-pending", service).compose(rows -> {
          Row r = rows.first();
          if (r != null) {
            throw BusException.conflict("a provider registration is already in progress for service '" + service + "' ("
                + r.string("register_message_hash") + ")");
          }
          return messages.insertWait(c, hash, false)
              .compose(v -> sql.run(c, "reg-insert", hash, service, clock.now()))
              .map(v -> new JsonObject().put("register_message_hash", hash));
        }));
  }

  private Future<JsonObject> markRegistered(Request req) {
    req.only(Set.of("register_message_hash", "provider_id"));
    String hash = Fields.hash(req, "register_message_hash");
    long provider = Fields.id(req, "provider_id");
    return sql.write(null, null, c -> sql.run(c, "reg-mark", hash, provider).compose(u -> sql.run(c, "reg-get", hash).map(rows -> {
      Row r = rows.first();
      if (r == null) throw BusException.notFound("no provider registration " + hash);
      if (u.updated() == 0 && !(Boolean.TRUE.equals(r.optBool("provider_registered"))
          && Long.valueOf(provider).equals(r.optLong("provider_id")))) {
        throw BusException.conflict("registration " + hash + " is not confirmed with success, or registered as another provider");
      }
      return registration(r);
    })));
  }

  private static JsonObject registration(Row r) {
    JsonObject out = Replies.copy(r, new JsonObject(), "register_message_hash", "provider_id", "service", "created_at");
    return Replies.bools(r, out, "ok", "provider_registered");
  }
}
