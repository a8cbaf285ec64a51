package io.piri.db.queue;

import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a bulk operation selects, checked field by field before anything is written: {@code name},
 * {@code error_prefix}, {@code from} and {@code to} (inclusive epoch ms: failed_at of dead
 * letters, enqueued_at of live jobs), {@code ids} (dead-letter ids, or job ids for a cancel) and,
 * for a cancel only, {@code state} (ready, scheduled, running; a string or a list; default all
 * three). It is stored with the operation as given, and every batch passes it to its statements.
 */
record BulkFilter(String name, String errorPrefix, Long from, Long to, JsonArray ids, JsonArray states) {
  static final Set<String> OPS = Set.of("requeue", "purge", "cancel");
  static final int MAX_IDS = 10_000;
  private static final List<String> LIVE = List.of(Counts.READY, Counts.SCHEDULED, Counts.RUNNING);
  private static final Set<String> FIELDS = Set.of("state", "name", "error_prefix", "from", "to", "ids");

  /** The filter of {@code op} in {@code f}; a 400 naming the field for anything it cannot take. */
  static BulkFilter parse(String op, JsonObject f) {
    for (String k : f.fieldNames()) {
      if (!FIELDS.contains(k)) throw BusException.invalid("unknown field 'filter." + k + "'; a filter takes " + String.join(", ", FIELDS.stream().sorted().toList()));
    }
    String name = text(f, "name", 128);
    String prefix = text(f, "error_prefix", QueueRequests.MAX_ERROR_CHARS);
    Long from = time(f, "from");
    Long to = time(f, "to");
    if (from != null && to != null && from > to) throw BusException.invalid("field 'filter.from' must not be after 'filter.to'");
    JsonArray ids = null;
    if (f.getValue("ids") != null) {
      if (!(f.getValue("ids") instanceof JsonArray a) || a.isEmpty() || a.size() > MAX_IDS) {
        throw BusException.invalid("field 'filter.ids' must be an array of 1.." + MAX_IDS + " ids");
      }
      ids = new JsonArray();
      for (int i = 0; i < a.size(); i++) ids.add(Request.id(a.getValue(i), "filter.ids[" + i + "]", 1, Long.MAX_VALUE));
    }
    return new BulkFilter(name, prefix, from, to, ids, states(op, f.getValue("state")));
  }

  private static JsonArray states(String op, Object v) {
    if (!op.equals("cancel")) {
      if (v != null) throw BusException.invalid("field 'filter.state' applies to op 'cancel' only (dead letters have no state)");
      return null;
    }
    if (v == null) return new JsonArray(LIVE);
    JsonArray given = v instanceof String s ? new JsonArray().add(s) : v instanceof JsonArray a ? a : null;
    if (given == null || given.isEmpty()) throw BusException.invalid("field 'filter.state' must be one of " + LIVE + " or a list of them");
    Set<String> out = new LinkedHashSet<>();
    for (Object s : given) {
      if (!(s instanceof String str) || !LIVE.contains(str)) {
        throw BusException.invalid("field 'filter.state': '" + s + "' is not one of " + LIVE);
      }
      out.add(str);
    }
    return new JsonArray(List.copyOf(out));
  }

  private static String text(JsonObject f, String field, int max) {
    Object v = f.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s) || s.isEmpty() || s.length() > max) {
      throw BusException.invalid("field 'filter." + field + "' must be a string of 1.." + max + " characters");
    }
    return s;
  }

  private static Long time(JsonObject f, String field) {
    Object v = f.getValue(field);
    if (v == null) return null;
    if (!(v instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 0) {
      throw BusException.invalid("field 'filter." + field + "' must be a time in epoch milliseconds");
    }
    return n.longValue();
  }

  /** The filter as stored with its operation (states included, as the cancel will apply them). */
  JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (name != null) o.put("name", name);
    if (errorPrefix != null) o.put("error_prefix", errorPrefix);
    if (from != null) o.put("from", from);
    if (to != null) o.put("to", to);
    if (ids != null) o.put("ids", ids);
    if (states != null) o.put("state", states);
    return o;
  }

  /** The statements' parameters after the queue and the id window: name, prefix, from, to, ids (and states). */
  Object[] params(String queue, long after, long upto) {
    String idsJson = ids == null ? null : ids.encode();
    return states == null
        ? new Object[] {queue, after, upto, name, errorPrefix, from, to, idsJson}
        : new Object[] {queue, after, upto, name, errorPrefix, from, to, idsJson, states.encode()};
  }
}
