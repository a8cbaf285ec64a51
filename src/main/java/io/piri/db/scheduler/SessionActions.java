package io.piri.db.scheduler;

import io.piri.db.core.Clock;
import io.piri.db.core.Waiters;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@code session-open}, {@code session-heartbeat}, {@code session-close}: a claimer's session
 * (fixes D1, D20). A session lives {@code ttl_ms} past its last heartbeat; once expired the store
 * deletes it and its tasks become runnable for others. Closing releases its tasks at once.
 * {@code session-list} shows the live sessions to operators.
 */
record SessionActions(Database db, Statements sql, TaskEvents events, Waiters waiters, Clock clock) {
  static final long DEFAULT_TTL_MS = 30_000;
  static final long MIN_TTL_MS = 100;
  static final long MAX_TTL_MS = 600_000;
  static final int MAX_NAME = 128;
  /** Session ids are UUIDs; a cursor longer than this names none. */
  static final int MAX_ID = 64;

  Future<JsonObject> open(Request req) {
    req.only(Set.of("name", "ttl_ms"));
    String name = req.optString("name");
    if (name == null) name = "";
    if (name.length() > MAX_NAME) throw BusException.invalid("field 'name' must be at most " + MAX_NAME + " characters");
    long ttl = req.optLong("ttl_ms", MIN_TTL_MS, MAX_TTL_MS, DEFAULT_TTL_MS);
    String id = UUID.randomUUID().toString();
    String label = name;
    return db.write(c -> {
      long now = clock.now();
      long expires = now + ttl;
      return c.run(sql.get("session-insert"), id, label, ttl, now, expires)
          .compose(r -> events.expiresAt(c, id, expires))
          .map(v -> new JsonObject().put("session", id).put("expires_at", expires).put("ttl_ms", ttl));
    });
  }

  Future<JsonObject> heartbeat(Request req) {
    req.only(Set.of("session"));
    String id = req.string("session");
    return db.write(c -> {
      long now = clock.now();
      return c.run(sql.get("session-heartbeat"), now, id, now).map(rows -> {
        Row r = rows.first();
        if (r == null) throw notFound(id);
        return new JsonObject().put("session", id).put("expires_at", r.longValue("expires_at"));
      });
    });
  }

  Future<JsonObject> close(Request req) {
    req.only(Set.of("session"));
    String id = req.string("session");
    return db.write(c -> c.run(sql.get("session-for-close"), id)
            .compose(rows -> {
              if (rows.first() == null) return Future.failedFuture(notFound(id));
              return c.run(sql.get("session-held"), id);
            })
            .compose(rows -> {
              long held = rows.first().longValue("held");
              return c.run(sql.get("session-delete"), id)
                  .compose(r -> held > 0 ? events.released(c) : Future.<Void>succeededFuture())
                  .map(v -> new JsonObject().put("released", held));
            }))
        .onSuccess(r -> waiters.wakeTagged(id));
  }

  /**
   * Live sessions by id, {@code limit} (1..1000, default 100) after the cursor {@code after} (a
   * session id): the last heartbeat (or the opening), the expiry, the ttl and the tasks held.
   */
  Future<JsonObject> list(Request req) {
    req.only(Set.of("limit", "after"));
    int limit = req.optInt("limit", 1, TaskQueries.MAX_LIMIT, TaskQueries.DEFAULT_LIMIT);
    String after = req.optString("after");
    if (after != null && (after.isEmpty() || after.length() > MAX_ID)) {
      throw BusException.invalid("field 'after' must be a session id of 1.." + MAX_ID + " characters");
    }
    long now = clock.now();
    return db.read(c -> c.run(sql.get("session-list"), now, after == null ? "" : after, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      String last = null;
      for (Row r : rows) {
        last = r.string("id");
        out.add(new JsonObject().put("session", last).put("name", r.string("name")).put("opened_at", r.longValue("opened_at"))
            .put("heartbeat_at", r.longValue("heartbeat_at")).put("expires_at", r.longValue("expires_at"))
            .put("ttl_ms", r.longValue("ttl_ms")).put("tasks", r.longValue("tasks")));
      }
      return new JsonObject().put("sessions", out).put("next", rows.size() == limit ? last : null);
    });
  }

  static BusException notFound(String id) {
    return BusException.notFound("field 'session': session '" + id + "' not found or expired");
  }
}
