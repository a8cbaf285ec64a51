package io.piri.db.queue;

import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.QueueConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A validated {@code search} request (docs/event-bus.md#search): one kind of search, each answered
 * by an index ({@code V130__job_search}); what no index answers is refused with a hint, before
 * anything is read.
 */
record SearchQuery(QueueConfig queue, String state, Kind kind, Object value, Object value2, int limit, Cursor after) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_PREFIX = 128;
  static final Set<String> STATES = Set.of("ready", "scheduled", "running", "dead");
  private static final String KINDS = "'id', 'name', 'name' with 'dedupe_key', 'error_prefix', 'payload' "
      + "({\"path\", \"value\"}), or a time range 'from' and/or 'to' (epoch ms)";

  /** id, name, dedupe key and payload field page by one id; error prefix and time by (key, id). */
  enum Kind {
    ID("id", false), NAME("name", false), KEY("key", false), FIELD("field", false), ERROR("error", true), TIME("time", true);

    final String sql;
    final boolean twoKeys;

    Kind(String sql, boolean twoKeys) {
      this.sql = sql;
      this.twoKeys = twoKeys;
    }
  }

  /**
   * Where a page ends: the part (live jobs, then dead letters) and the last row's key: its text or
   * time for two-key kinds, and its id (the dead letter's own id, or for payload fields the job id).
   */
  record Cursor(boolean dead, Object key, long id) {
    String encode() {
      JsonArray a = new JsonArray().add(dead ? "d" : "l").add(key).add(id);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(a.encode().getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String text, Kind kind) {
      try {
        JsonArray a = new JsonArray(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
        String part = a.getString(0);
        Object key = a.getValue(1);
        long id = a.getLong(2);
        boolean keyFits = !kind.twoKeys ? key == null
            : kind == Kind.TIME ? key instanceof Number : key instanceof String s && s.length() <= MAX_PREFIX;
        if (a.size() == 3 && ("d".equals(part) || "l".equals(part)) && keyFits && id >= 0) {
          return new Cursor("d".equals(part), kind == Kind.TIME ? ((Number) key).longValue() : key, id);
        }
      } catch (IllegalArgumentException | DecodeException | ClassCastException | NullPointerException | IndexOutOfBoundsException e) {
        // refused below
      }
      throw BusException.invalid("field 'after' is not a cursor of this search (pass the 'next' of the previous page)");
    }
  }

  static SearchQuery of(QueueConfig q, Request req) {
    String state = req.optString("state");
    if (state != null && !STATES.contains(state)) {
      throw BusException.invalid("field 'state' must be 'ready', 'scheduled', 'running' or 'dead' (none: live jobs, then dead letters)");
    }
    Object byValue = req.body().getValue("by");
    if (byValue == null) throw BusException.invalid("field 'by' is required: " + KINDS);
    if (!(byValue instanceof JsonObject by)) throw BusException.invalid("field 'by' must be an object: " + KINDS);
    int limit = req.optInt("limit", 1, QueueRequests.MAX_BATCH, DEFAULT_LIMIT);
    Set<String> keys = by.fieldNames();
    for (String k : keys) {
      if (!Set.of("id", "name", "dedupe_key", "error_prefix", "payload", "from", "to").contains(k)) {
        throw BusException.invalid("field 'by." + k + "' is not a kind of search; search by " + KINDS);
      }
    }
    Request b = new Request("search", by);
    Kind kind;
    Object value;
    Object value2 = null;
    if (keys.equals(Set.of("id"))) {
      kind = Kind.ID;
      value = QueueRequests.id(by.getValue("id"), "by.id");
    } else if (keys.equals(Set.of("name"))) {
      kind = Kind.NAME;
      value = name(b);
    } else if (keys.equals(Set.of("name", "dedupe_key"))) {
      kind = Kind.KEY;
      value = name(b);
      value2 = key(q, b);
    } else if (keys.equals(Set.of("dedupe_key"))) {
      throw BusException.invalid("field 'by.dedupe_key' needs 'by.name': a queue keeps dedupe keys per job name, and that is how "
          + "they are indexed");
    } else if (keys.equals(Set.of("error_prefix"))) {
      kind = Kind.ERROR;
      value = prefix(b);
    } else if (keys.equals(Set.of("payload"))) {
      kind = Kind.FIELD;
      JsonObject field = payload(by);
      value = field.getString("path");
      value2 = fieldValue(q, field);
    } else if (!keys.isEmpty() && Set.of("from", "to").containsAll(keys)) {
      kind = Kind.TIME;
      value = b.optLong("from", 0, Long.MAX_VALUE, 0);
      value2 = b.optLong("to", 0, Long.MAX_VALUE, Long.MAX_VALUE);
      if ((long) value > (long) value2) throw BusException.invalid("field 'by.from' must not be after 'by.to'");
    } else {
      throw BusException.invalid("field 'by' names " + (keys.isEmpty() ? "no kind" : keys.size() + " kinds " + keys)
          + "; search by one: " + KINDS + " (each is one index; narrow further with 'state')");
    }
    String after = req.optString("after");
    Cursor cursor = after == null ? null : Cursor.decode(after, kind);
    if (cursor != null && state != null && cursor.dead() != state.equals("dead")) {
      throw BusException.invalid("field 'after' is not a cursor of this search (pass the 'next' of the previous page)");
    }
    return new SearchQuery(q, state, kind, value, value2, limit, cursor);
  }

  /** The parts searched, in order: live jobs (unless state is dead), then dead letters (unless a live state). */
  List<Boolean> parts() {
    if (state == null) return after != null && after.dead() ? List.of(true) : List.of(false, true);
    return List.of(state.equals("dead"));
  }

  private static String name(Request b) {
    String name = b.string("name");
    if (name.isEmpty() || name.length() > 128) throw BusException.invalid("field 'by.name' must be 1..128 characters");
    return name;
  }

  private static byte[] key(QueueConfig q, Request b) {
    if (!q.dedupe()) {
      throw BusException.invalid("field 'by.dedupe_key': queue '" + q.name() + "' does not dedupe, so its jobs have no keys; "
          + "search it by name or by a payload field");
    }
    String key = b.string("dedupe_key");
    if (key.isEmpty() || key.length() > 1024) throw BusException.invalid("field 'by.dedupe_key' must be 1..1024 characters");
    return QueueRequests.dedupeKey(null, null, key);
  }

  private static String prefix(Request b) {
    String p = b.string("error_prefix");
    if (p.isEmpty() || p.codePointCount(0, p.length()) > MAX_PREFIX) {
      throw BusException.invalid("field 'by.error_prefix' must be 1.." + MAX_PREFIX + " characters (the indexed start of error texts)");
    }
    return p;
  }

  private static JsonObject payload(JsonObject by) {
    if (!(by.getValue("payload") instanceof JsonObject field) || !field.containsKey("path") || !field.containsKey("value")
        || field.size() != 2) {
      throw BusException.invalid("field 'by.payload' must be {\"path\": \"$.a.b\", \"value\": <JSON value>}");
    }
    if (!(field.getValue("path") instanceof String path) || !QueueConfig.SEARCH_PATH.matcher(path).matches()) {
      throw BusException.invalid("field 'by.payload.path' must be a JSON path such as \"$.piece\" or \"$.roots[0]\"");
    }
    return field;
  }

  private static String fieldValue(QueueConfig q, JsonObject field) {
    String path = field.getString("path");
    if (!q.searchFields().contains(path)) {
      throw BusException.invalid("field 'by.payload.path': '" + path + "' is not a search field of queue '" + q.name()
          + "', and payloads are never scanned; add it to queues." + q.name() + ".search_fields "
          + "(jobs enqueued from then on are found by it)" + (q.searchFields().isEmpty() ? "" : "; configured: " + q.searchFields()));
    }
    String value = SearchFields.canonical(field.getValue("value"));
    if (value == null) {
      throw BusException.invalid("field 'by.payload.value' must be a finite JSON value of at most " + SearchFields.MAX_VALUE_CHARS
          + " characters as JSON (longer values are not indexed)");
    }
    return value;
  }
}
