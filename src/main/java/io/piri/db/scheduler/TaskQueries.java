package io.piri.db.scheduler;

import io.piri.db.core.Clock;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/** {@code task-history} (paged by id, filtered by task or type) and {@code task-stats}. */
record TaskQueries(Database db, Statements sql, TaskTypes types, Clock clock) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  Future<JsonObject> history(Request req) {
    req.only(Set.of("task_id", "name", "after_id", "limit"));
    Long taskId = req.optId("task_id", 1, Long.MAX_VALUE);
    String name = req.optString("name");
    if (name != null && (name.isEmpty() || name.length() > 128)) throw BusException.invalid("field 'name' must be 1..128 characters");
    long after = req.has("after_id") ? req.id("after_id", 0, Long.MAX_VALUE) : 0;
    int limit = req.optInt("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    String statement;
    Object[] args;
    if (taskId != null && name != null) {
      statement = "history-page-task-name";
      args = new Object[] {taskId, name, after, (long) limit};
    } else if (taskId != null) {
      statement = "history-page-task";
      args = new Object[] {taskId, after, (long) limit};
    } else if (name != null) {
      statement = "history-page-name";
      args = new Object[] {name, after, (long) limit};
    } else {
      statement = "history-page";
      args = new Object[] {after, (long) limit};
    }
    return db.read(c -> c.run(sql.get(statement), args)).map(rows -> {
      JsonArray out = new JsonArray();
      long last = 0;
      for (Row r : rows) {
        JsonObject h = history(r);
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
    return db.read(c -> c.run(sql.get("task-stats"), now, now)).map(rows -> {
      JsonObject out = new JsonObject();
      for (String n : types.names()) out.put(n, counts(0, 0, 0));
      for (Row r : rows) {
        out.put(r.string("name"), counts(r.longValue("runnable"), r.longValue("waiting"), r.longValue("running")));
      }
      return out;
    });
  }

  /** One task_history row as the task-history action returns it. */
  private static JsonObject history(Row r) {
    return r.json("id", "task_id", "name", "posted", "work_start", "work_end")
        .put("result", r.bool("result"))
        .mergeIn(r.json("err", "completed_by_session_id", "outcome", "state", "recorded_at"));
  }

  private static JsonObject counts(long runnable, long waiting, long running) {
    return new JsonObject().put("runnable", runnable).put("waiting", waiting).put("running", running);
  }
}
