package io.piri.db.scheduler;

import io.piri.db.core.Clock;
import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Set;

/** {@code task-history} (paged by id, filtered by task or type) and {@code task-stats}. */
final class TaskQueries {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final Database db;
  private final Statements sql;
  private final TaskTypes types;
  private final Clock clock;

  TaskQueries(Database db, Statements sql, TaskTypes types, Clock clock) {
    this.clock = clock;
    this.db = db;
    this.sql = sql;
    this.types = types;
  }

  Future<JsonObject> history(Request req) {
    req.only(Set.of("task_id", "name", "after_id", "limit"));
    Long taskId = req.optId("task_id", 1, Long.MAX_VALUE);
    String name = req.optString("name");
    if (name != null && (name.isEmpty() || name.length() > 128)) throw BusException.invalid("field 'name' must be 1..128 characters");
    long after = req.has("after_id") ? req.id("after_id", 0, Long.MAX_VALUE) : 0;
    int limit = req.optInt("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    String statement;
    Tuple args;
    if (taskId != null && name != null) {
      statement = "history-page-task-name";
      args = Tuple.of(taskId, name, after, (long) limit);
    } else if (taskId != null) {
      statement = "history-page-task";
      args = Tuple.of(taskId, after, (long) limit);
    } else if (name != null) {
      statement = "history-page-name";
      args = Tuple.of(name, after, (long) limit);
    } else {
      statement = "history-page";
      args = Tuple.of(after, (long) limit);
    }
    return db.read(c -> c.preparedQuery(sql.get(statement)).execute(args)).map(rows -> {
      JsonArray out = new JsonArray();
      long last = 0;
      for (Row r : rows) {
        JsonObject h = Rows.history(r);
        last = h.getLong("id");
        out.add(h);
      }
      return new JsonObject().put("rows", out).put("next_after_id", out.size() == limit ? last : null);
    });
  }

  /** Per task type: runnable now, waiting for a retry, running (held by a session). */
  Future<JsonObject> stats(Request req) {
    req.only(Set.of());
    long now = clock.now();
    return db.read(c -> c.preparedQuery(sql.get("task-stats")).execute(Tuple.of(now, now))).map(rows -> {
      JsonObject out = new JsonObject();
      for (String n : types.names()) out.put(n, counts(0, 0, 0));
      for (Row r : rows) {
        out.put(r.getString("name"), counts(Rows.getLong(r, "runnable"), Rows.getLong(r, "waiting"), Rows.getLong(r, "running")));
      }
      return out;
    });
  }

  private static JsonObject counts(long runnable, long waiting, long running) {
    return new JsonObject().put("runnable", runnable).put("waiting", waiting).put("running", running);
  }
}
