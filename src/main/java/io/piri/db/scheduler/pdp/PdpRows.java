package io.piri.db.scheduler.pdp;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.Base64;

/**
 * Reads columns the same way on both backends: SQLite gives 0/1 integers where PostgreSQL gives
 * booleans, byte[] where it gives Buffer, and JSON as text on both (the postgres SQL casts it).
 */
final class PdpRows {
  private PdpRows() {}

  static Row first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? it.next() : null;
  }

  static Long optLong(Row r, String col) {
    Object v = r.getValue(col);
    return v == null ? null : ((Number) v).longValue();
  }

  static long getLong(Row r, String col) {
    return ((Number) r.getValue(col)).longValue();
  }

  static Boolean optBool(Row r, String col) {
    Object v = r.getValue(col);
    if (v == null) return null;
    if (v instanceof Boolean b) return b;
    return ((Number) v).longValue() != 0;
  }

  static byte[] bytes(Row r, String col) {
    Object v = r.getValue(col);
    if (v == null) return null;
    if (v instanceof Buffer b) return b.getBytes();
    if (v instanceof byte[] a) return a;
    throw new IllegalStateException("unexpected blob type " + v.getClass());
  }

  static String base64(Row r, String col) {
    byte[] b = bytes(r, col);
    return b == null ? null : Base64.getEncoder().encodeToString(b);
  }

  static JsonObject json(Row r, String col) {
    Object v = r.getValue(col);
    return v == null ? null : new JsonObject(v.toString());
  }

  /** Copies the named columns as they are (strings and numbers; booleans normalised). */
  static JsonObject copy(Row r, JsonObject out, String... cols) {
    for (String c : cols) {
      Object v = r.getValue(c);
      if (v instanceof Number n) out.put(c, n.longValue());
      else out.put(c, v == null ? null : v.toString());
    }
    return out;
  }

  static JsonObject bools(Row r, JsonObject out, String... cols) {
    for (String c : cols) out.put(c, optBool(r, c));
    return out;
  }
}
