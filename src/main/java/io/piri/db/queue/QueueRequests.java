package io.piri.db.queue;

import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.QueueConfig;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and validates queue requests; every rejection is a 400 naming the field. */
final class QueueRequests {
  static final int MAX_BATCH = 1000;
  static final long MAX_DELAY_MS = 366L * 24 * 3600 * 1000;
  static final long MAX_LEASE_MS = 24L * 3600 * 1000;
  static final int MAX_ERROR_CHARS = 8192;
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  /** A field name as rejections quote it. */
  private static final Pattern QUOTED = Pattern.compile("'([^']+)'");
  private static final Set<String> JOB_FIELDS = Set.of("name", "payload", "payload_base64", "delay_ms", "dedupe_key");

  private final Map<String, QueueConfig> queues;

  QueueRequests(Map<String, QueueConfig> queues) {
    this.queues = queues;
  }

  QueueConfig queue(Request req) {
    String name = req.string("queue");
    QueueConfig q = queues.get(name);
    if (q == null) throw BusException.invalid("field 'queue': unknown queue '" + clip(name) + "' in this store");
    return q;
  }

  /** The queue named in the request, or null when the field is absent (stats of every queue). */
  QueueConfig optQueue(Request req) {
    return req.has("queue") ? queue(req) : null;
  }

  /** One job; {@code prefix} (e.g. "jobs[3].") is put before every field a rejection names. */
  JobInput job(QueueConfig q, JsonObject body, String prefix) {
    try {
      return job(q, body);
    } catch (BusException e) {
      if (prefix.isEmpty()) throw e;
      throw BusException.invalid(QUOTED.matcher(e.getMessage()).replaceAll("'" + Matcher.quoteReplacement(prefix) + "$1'"));
    }
  }

  private JobInput job(QueueConfig q, JsonObject body) {
    for (String f : body.fieldNames()) {
      if (!JOB_FIELDS.contains(f)) throw BusException.invalid("unknown field '" + f + "'");
    }
    Request r = new Request("enqueue", body);
    String name = r.optString("name");
    if (name == null) throw BusException.invalid("field 'name' is required");
    if (!NAME.matcher(name).matches()) {
      throw BusException.invalid("field 'name' must be 1..128 letters, digits or _-.:");
    }
    boolean hasJson = body.containsKey("payload");
    boolean hasB64 = body.getValue("payload_base64") != null;
    if (hasJson == hasB64) {
      throw BusException.invalid("exactly one of 'payload' and 'payload_base64' is required");
    }
    byte[] payload;
    if (hasJson) {
      payload = Json.encode(body.getValue("payload")).getBytes(StandardCharsets.UTF_8);
    } else {
      String b64 = r.optString("payload_base64");
      try {
        payload = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        throw BusException.invalid("field 'payload_base64' is not valid base64");
      }
    }
    long delay = r.optLong("delay_ms", 0, MAX_DELAY_MS, 0);
    String key = r.optString("dedupe_key");
    if (key != null && (key.isEmpty() || key.length() > 1024)) {
      throw BusException.invalid("field 'dedupe_key' must be 1..1024 characters");
    }
    byte[] dedupe = q.dedupe() ? dedupeKey(name, payload, key) : null;
    return new JobInput(name, payload, hasJson, delay, dedupe);
  }

  List<JobInput> jobs(QueueConfig q, Request req) {
    JsonArray arr = req.array("jobs", MAX_BATCH);
    if (arr.isEmpty()) throw BusException.invalid("field 'jobs' must not be empty");
    List<JobInput> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      if (!(arr.getValue(i) instanceof JsonObject o)) throw BusException.invalid("field 'jobs[" + i + "]' must be an object");
      out.add(job(q, o, "jobs[" + i + "]."));
    }
    return out;
  }

  /** A job id or dead-letter id (a negative one names no row: a caller's mistake, not a 404). */
  static long id(Object value, String field) {
    return Request.id(value, field, 0, Long.MAX_VALUE);
  }

  static String receipt(Object value, String field) {
    if (value == null) throw BusException.invalid("field '" + field + "' is required");
    if (!(value instanceof String s) || s.isEmpty() || s.length() > 64) {
      throw BusException.invalid("field '" + field + "' must be the receipt string of a claim");
    }
    return s;
  }

  /** A list of ids ({@code ids}) or every row ({@code all: true}); null means all. */
  static JsonArray idsOrAll(Request r) {
    boolean all = r.optBool("all", false);
    if (all == r.has("ids")) throw BusException.invalid("exactly one of 'ids' and 'all: true' is required");
    if (all) return null;
    JsonArray ids = r.array("ids", MAX_BATCH);
    if (ids.isEmpty()) throw BusException.invalid("field 'ids' must not be empty");
    JsonArray out = new JsonArray();
    for (int i = 0; i < ids.size(); i++) out.add(id(ids.getValue(i), "ids[" + i + "]"));
    return out;
  }

  static String error(Request r) {
    String e = r.optString("error");
    if (e == null) throw BusException.invalid("field 'error' is required");
    return e.length() > MAX_ERROR_CHARS ? e.substring(0, MAX_ERROR_CHARS) : e;
  }

  /** SHA-256 of the given key, or of the name and the payload bytes (contract §5). */
  static byte[] dedupeKey(String name, byte[] payload, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      if (key != null) {
        sha.update("key\0".getBytes(StandardCharsets.UTF_8));
        sha.update(key.getBytes(StandardCharsets.UTF_8));
      } else {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(payload);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "..." : s;
  }
}
