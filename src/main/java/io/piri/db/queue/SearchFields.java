package io.piri.db.queue;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.config.QueueConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The payload fields of queues that configure {@code search_fields}: the value at each path,
 * as canonical JSON text, written to {@code job_field} in the transaction that writes the job,
 * marked dead with its dead letter and deleted with the job or the dead letter. Queues without
 * search fields run none of these statements. JSON payloads are read as JSON, byte payloads as
 * CBOR ({@link Cbor}); a payload that is neither, or a path it lacks, gives no row.
 */
final class SearchFields {
  /** Longer values are not kept (the index holds whole values), and a search for one is refused. */
  static final int MAX_VALUE_CHARS = 256;
  private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_-]+)|\\[([0-9]+)]");
  private static final Object MISSING = new Object();
  private static final Map<String, List<Object>> PATHS = new ConcurrentHashMap<>();

  private final Statements sql;

  SearchFields(Statements sql) {
    this.sql = sql;
  }

  /** Writes the fields of jobs just inserted ({@code ids[i]} is {@code jobs[i]}'s id). */
  Future<Void> written(Tx tx, QueueConfig q, List<Long> ids, List<JobInput> jobs) {
    if (q.searchFields().isEmpty()) return Future.succeededFuture();
    JsonArray items = new JsonArray();
    for (int i = 0; i < ids.size(); i++) {
      Object payload = decode(jobs.get(i));
      if (payload == MISSING) continue;
      for (String path : q.searchFields()) {
        String value = canonical(at(payload, path));
        if (value != null) items.add(new JsonObject().put("i", ids.get(i)).put("p", path).put("v", value));
      }
    }
    return items.isEmpty() ? Future.succeededFuture() : tx.run(sql.get("field-insert"), q.name(), items.encode()).mapEmpty();
  }

  Future<Void> completed(Tx tx, QueueConfig q, List<Long> ids) {
    if (q.searchFields().isEmpty() || ids.isEmpty()) return Future.succeededFuture();
    return tx.run(sql.get("field-delete"), new JsonArray(new ArrayList<>(ids)).encode()).mapEmpty();
  }

  Future<Void> deadLettered(Tx tx, QueueConfig q, JsonArray ids) {
    if (q.searchFields().isEmpty()) return Future.succeededFuture();
    return tx.run(sql.get("field-dead"), ids.encode()).mapEmpty();
  }

  /** Before dead letters are deleted (purged or requeued): {@code deadIds} null for all of the queue's. */
  Future<Void> deadDeleted(Tx tx, QueueConfig q, String deadIds) {
    if (q.searchFields().isEmpty()) return Future.succeededFuture();
    return (deadIds == null ? tx.run(sql.get("field-delete-dead-all"), q.name())
        : tx.run(sql.get("field-delete-dead"), q.name(), deadIds)).mapEmpty();
  }

  /**
   * At start: forgets the rows of paths no longer configured, which nothing would delete when their
   * jobs end. A path configured later finds the jobs enqueued from then on.
   */
  Future<Void> prune(Database db, QueueConfig q) {
    return db.write(tx -> tx.run(sql.get("field-prune"), q.name(), new JsonArray(new ArrayList<>(q.searchFields())).encode())
        .mapEmpty());
  }

  private static Object decode(JobInput job) {
    if (!job.json()) {
      Object v = Cbor.decode(job.payload());
      return v == null ? MISSING : v;
    }
    try {
      return Json.decodeValue(Buffer.buffer(job.payload()));
    } catch (DecodeException e) {
      return MISSING;
    }
  }

  /** The value at {@code path} ({@link QueueConfig#SEARCH_PATH}), or MISSING. */
  static Object at(Object root, String path) {
    Object v = root;
    for (Object step : steps(path)) {
      if (step instanceof String key && v instanceof JsonObject o && o.containsKey(key)) v = o.getValue(key);
      else if (step instanceof Integer i && v instanceof JsonArray a && i < a.size()) v = a.getValue(i);
      else return MISSING;
    }
    return v;
  }

  private static List<Object> steps(String path) {
    return PATHS.computeIfAbsent(path, p -> {
      List<Object> out = new ArrayList<>();
      Matcher m = STEP.matcher(p.substring(1));
      while (m.find()) out.add(m.group(1) != null ? (Object) m.group(1) : (Object) Integer.valueOf(m.group(2)));
      return List.copyOf(out);
    });
  }

  /**
   * The value as the index keeps it: JSON text with object keys sorted and whole numbers without
   * a fraction (1, 1.0 and 1e0 are one value); null when it cannot be kept (missing, too long,
   * not finite).
   */
  static String canonical(Object v) {
    if (v == MISSING) return null;
    Object n = normalized(v);
    if (n == MISSING) return null;
    String text = Json.encode(n);
    return text.length() > MAX_VALUE_CHARS ? null : text;
  }

  private static Object normalized(Object v) {
    if (v instanceof JsonObject o) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<String, Object> e : o) {
        Object n = normalized(e.getValue());
        if (n == MISSING) return MISSING;
        sorted.put(e.getKey(), n);
      }
      return new JsonObject(new java.util.LinkedHashMap<>(sorted));
    }
    if (v instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      for (Object e : a) {
        Object n = normalized(e);
        if (n == MISSING) return MISSING;
        out.add(n);
      }
      return out;
    }
    if (v instanceof Map<?, ?> m) return normalized(new JsonObject(castMap(m)));
    if (v instanceof List<?> l) return normalized(new JsonArray(new ArrayList<>(l)));
    if (v instanceof Number num) return number(num);
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static Object number(Number num) {
    if (num instanceof Integer || num instanceof Long || num instanceof Short || num instanceof Byte) return num.longValue();
    BigDecimal d;
    if (num instanceof BigInteger b) d = new BigDecimal(b);
    else if (num instanceof BigDecimal b) d = b;
    else {
      double x = num.doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) return MISSING;
      d = BigDecimal.valueOf(x);
    }
    d = d.stripTrailingZeros();
    if (d.scale() <= 0) {
      try {
        return d.longValueExact();
      } catch (ArithmeticException e) {
        return d.toBigInteger();
      }
    }
    return d.doubleValue();
  }
}
