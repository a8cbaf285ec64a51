package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Row;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/** Rows as the PDP actions answer them: columns copied by name, bytes in base64, JSON text parsed. */
final class Replies {
  private Replies() {}

  static String base64(Row r, String col) {
    byte[] b = r.bytes(col);
    return b == null ? null : Base64.getEncoder().encodeToString(b);
  }

  static JsonObject json(Row r, String col) {
    String v = r.string(col);
    return v == null ? null : new JsonObject(v);
  }

  /** Copies the named columns as they are: numbers as longs, anything else as text. */
  static JsonObject copy(Row r, JsonObject out, String... cols) {
    for (String c : cols) {
      Object v = r.value(c);
      if (v instanceof Number n) out.put(c, n.longValue());
      else out.put(c, v == null ? null : v.toString());
    }
    return out;
  }

  /** Copies boolean columns (PostgreSQL's boolean, SQLite's 0/1) as JSON booleans. */
  static JsonObject bools(Row r, JsonObject out, String... cols) {
    for (String c : cols) out.put(c, r.optBool(c));
    return out;
  }
}
