package io.piri.db.scheduler;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** Reading rows the same way on both backends (SQLite gives integers where PostgreSQL gives booleans). */
final class Rows {
  private Rows() {}

  static Row first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? it.next() : null;
  }

  static Long optLong(Row row, String column) {
    Object v = row.getValue(column);
    return v == null ? null : ((Number) v).longValue();
  }

  static long getLong(Row row, String column) {
    return ((Number) row.getValue(column)).longValue();
  }

  static boolean getBool(Row row, String column) {
    Object v = row.getValue(column);
    if (v instanceof Boolean b) return b;
    return v != null && ((Number) v).intValue() != 0;
  }

  /** One task_history row as the task-history action returns it. */
  static JsonObject history(Row r) {
    return new JsonObject()
        .put("id", getLong(r, "id"))
        .put("task_id", getLong(r, "task_id"))
        .put("name", r.getString("name"))
        .put("posted", getLong(r, "posted"))
        .put("work_start", getLong(r, "work_start"))
        .put("work_end", getLong(r, "work_end"))
        .put("result", getBool(r, "result"))
        .put("err", r.getString("err"))
        .put("completed_by_session_id", r.getString("completed_by_session_id"))
        .put("outcome", r.getString("outcome"))
        .put("state", r.getString("state"))
        .put("recorded_at", getLong(r, "recorded_at"));
  }
}
