package io.piri.db.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A request body with typed, validating accessors: every getter that rejects a value throws a 400
 * naming the field, so handlers read fields before they touch the store.
 */
public final class Request {
  private final String action;
  private final JsonObject body;

  public Request(String action, JsonObject body) {
    this.action = action;
    this.body = body;
  }

  public String action() {
    return action;
  }

  public JsonObject body() {
    return body;
  }

  /** Rejects any field outside {@code allowed}. */
  public Request only(Set<String> allowed) {
    for (String f : body.fieldNames()) {
      if (!allowed.contains(f)) throw BusException.invalid("unknown field '" + f + "' for action '" + action + "'");
    }
    return this;
  }

  public boolean has(String field) {
    return body.getValue(field) != null;
  }

  public String string(String field) {
    String s = optString(field);
    if (s == null) throw BusException.invalid("field '" + field + "' is required");
    return s;
  }

  public String optString(String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s)) throw BusException.invalid("field '" + field + "' must be a string");
    return s;
  }

  public long longValue(String field, long min, long max) {
    if (!has(field)) throw BusException.invalid("field '" + field + "' is required");
    return optLong(field, min, max, 0);
  }

  public long optLong(String field, long min, long max, long def) {
    Object v = body.getValue(field);
    if (v == null) return def;
    if (!(v instanceof Integer || v instanceof Long)) {
      throw BusException.invalid("field '" + field + "' must be an integer");
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw BusException.invalid("field '" + field + "' must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  public int optInt(String field, int min, int max, int def) {
    return (int) optLong(field, min, max, def);
  }

  public boolean optBool(String field, boolean def) {
    Object v = body.getValue(field);
    if (v == null) return def;
    if (!(v instanceof Boolean b)) throw BusException.invalid("field '" + field + "' must be true or false");
    return b;
  }

  public JsonArray array(String field, int maxSize) {
    Object v = body.getValue(field);
    if (v == null) throw BusException.invalid("field '" + field + "' is required");
    if (!(v instanceof JsonArray a)) throw BusException.invalid("field '" + field + "' must be an array");
    if (a.size() > maxSize) {
      throw BusException.invalid("field '" + field + "' has " + a.size() + " items, at most " + maxSize + " allowed");
    }
    return a;
  }
}
