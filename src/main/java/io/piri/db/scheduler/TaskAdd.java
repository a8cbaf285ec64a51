package io.piri.db.scheduler;

import io.piri.db.core.Clock;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@code task-add}: a new task of a configured type, runnable at once ({@code retries} 0, no
 * session, {@code posted_time} now: item 10). With {@code unique_key}, a second add of the same
 * type and key while the first task exists returns that task with {@code duplicate: true}.
 */
record TaskAdd(Database db, Statements sql, TaskTypes types, TaskEvents events, Clock clock) {
  static final int MAX_ADDED_BY = 300;
  static final int MAX_UNIQUE_KEY = 256;

  Future<JsonObject> handle(Request req) {
    req.only(Set.of("name", "added_by", "unique_key"));
    String name = req.string("name");
    types.require("name", name);
    String addedBy = req.optString("added_by");
    if (addedBy == null) addedBy = "";
    if (addedBy.length() > MAX_ADDED_BY) throw BusException.invalid("field 'added_by' must be at most " + MAX_ADDED_BY + " characters");
    String key = req.optString("unique_key");
    if (key != null && (key.isEmpty() || key.length() > MAX_UNIQUE_KEY)) {
      throw BusException.invalid("field 'unique_key' must be 1.." + MAX_UNIQUE_KEY + " characters");
    }
    String by = addedBy;
    return db.write(c -> insert(c, name, by, key, true));
  }

  private Future<JsonObject> insert(Tx c, String name, String addedBy, String key, boolean again) {
    long now = clock.now();
    return c.run(sql.get("task-insert"), now, now, addedBy, name, now, key)
        .compose(rows -> {
          Row r = rows.first();
          if (r != null) {
            long id = r.longValue("id");
            return events.added(c, name).map(v -> new JsonObject().put("id", id).put("duplicate", false));
          }
          return c.run(sql.get("task-find-unique"), name, key).compose(found -> {
            Row f = found.first();
            if (f != null) return Future.succeededFuture(new JsonObject().put("id", f.longValue("id")).put("duplicate", true));
            // the holder of the key was completed in between: add again, once
            if (again) return insert(c, name, addedBy, key, false);
            return Future.failedFuture(BusException.conflict("field 'unique_key': task '" + key + "' is being changed; try again"));
          });
        });
  }
}
