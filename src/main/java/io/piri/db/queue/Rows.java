package io.piri.db.queue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.Base64;

/** Reads columns whose Java types differ between the JDBC and the pg-client drivers. */
final class Rows {
  private Rows() {}

  static byte[] bytes(Row row, int col) {
    Object v = row.getValue(col);
    if (v == null) return null;
    if (v instanceof Buffer b) return b.getBytes();
    if (v instanceof byte[] a) return a;
    throw new IllegalStateException("unexpected blob type " + v.getClass());
  }

  static Long longOrNull(Row row, int col) {
    Object v = row.getValue(col);
    return v == null ? null : ((Number) v).longValue();
  }

  /** A boolean column: PostgreSQL's boolean or SQLite's 0/1. */
  static boolean bool(Row row, int col) {
    Object v = row.getValue(col);
    return v instanceof Boolean b ? b : ((Number) v).longValue() != 0;
  }

  static long num(Row row, int col) {
    return ((Number) row.getValue(col)).longValue();
  }

  /** Puts the payload back as it came: {@code payload} for JSON, {@code payload_base64} for bytes. */
  static JsonObject putPayload(JsonObject out, byte[] payload, boolean json) {
    if (json) {
      out.put("payload", Json.decodeValue(Buffer.buffer(payload)));
    } else {
      out.put("payload_base64", Base64.getEncoder().encodeToString(payload));
    }
    return out;
  }
}
