package io.piri.db.backend;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * One row, read by column name with the same types on both backends: a boolean column is
 * PostgreSQL's boolean or SQLite's 0/1, a byte column PostgreSQL's bytea or SQLite's blob. Asking
 * for a column the statement does not return is an error (every computed column has a name).
 */
public final class Row {
  private final Map<String, Integer> index;
  private final Object[] values;

  Row(Map<String, Integer> index, Object[] values) {
    this.index = index;
    this.values = values;
  }

  public boolean has(String column) {
    return index.containsKey(column);
  }

  /** The value as the backend read it (a number, String, Boolean, byte[]), or null. */
  public Object value(String column) {
    Integer i = index.get(column);
    if (i == null) throw new IllegalArgumentException("no column '" + column + "' in " + index.keySet());
    return values[i];
  }

  public String string(String column) {
    Object v = value(column);
    return v == null ? null : v.toString();
  }

  public Long optLong(String column) {
    Object v = value(column);
    return v == null ? null : ((Number) v).longValue();
  }

  public long longValue(String column) {
    return ((Number) notNull(column)).longValue();
  }

  public int intValue(String column) {
    return Math.toIntExact(longValue(column));
  }

  public Boolean optBool(String column) {
    Object v = value(column);
    if (v == null || v instanceof Boolean) return (Boolean) v;
    return ((Number) v).longValue() != 0;
  }

  public boolean bool(String column) {
    notNull(column);
    return optBool(column);
  }

  public byte[] bytes(String column) {
    return (byte[]) value(column);
  }

  /**
   * Number and text columns as the fields of the same names, in the order given: most replies
   * hand such columns on as they are. Numbers become longs, as {@link #optLong} reads them.
   */
  public JsonObject json(String... columns) {
    JsonObject out = new JsonObject();
    for (String c : columns) {
      Object v = value(c);
      if (v instanceof Number n) out.put(c, n.longValue());
      else if (v == null || v instanceof String) out.put(c, v);
      else throw new IllegalArgumentException("column '" + c + "' is neither a number nor text");
    }
    return out;
  }

  private Object notNull(String column) {
    Object v = value(column);
    if (v == null) throw new IllegalStateException("column '" + column + "' is null");
    return v;
  }
}
