package io.piri.db.console;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-minute rates of this node's queue stores, from the counters they keep for /metrics:
 * enqueued, completed, failed attempts (retried and dead-lettered) and claims with their mean
 * database time. It reads memory only, never a database; the last hour is kept. On a member
 * without stores the counters, and so the rates, stay empty.
 */
final class Rates {
  static final int MINUTES = 60;
  private static final String[] FIELDS = {"enqueued", "completed", "retried", "dead_lettered", "claims", "claim_nanos"};

  private final MeterRegistry registry;
  private final Map<String, Deque<JsonObject>> series = new HashMap<>();
  private Map<String, long[]> last = new HashMap<>();
  private long lastAt;
  private Runnable stopSampling = () -> {};

  Rates(MeterRegistry registry) {
    this.registry = registry;
  }

  synchronized void start(Vertx vertx) {
    last = read();
    lastAt = System.currentTimeMillis();
    long timer = vertx.setPeriodic(60_000, id -> sample());
    stopSampling = () -> vertx.cancelTimer(timer);
  }

  synchronized void stop() {
    stopSampling.run();
  }

  synchronized void sample() {
    Map<String, long[]> now = read();
    long at = System.currentTimeMillis();
    now.forEach((queue, v) -> {
      Deque<JsonObject> s = series.computeIfAbsent(queue, q -> new ArrayDeque<>());
      s.addLast(row(lastAt, at, v, last.get(queue)));
      while (s.size() > MINUTES) s.removeFirst();
    });
    last = now;
    lastAt = at;
  }

  /** {@code current}: since the last full minute; {@code minutes}: the last hour, oldest first. */
  synchronized JsonObject recent(String queue) {
    long[] now = read().get(queue);
    JsonArray minutes = new JsonArray();
    series.getOrDefault(queue, new ArrayDeque<>()).forEach(minutes::add);
    return new JsonObject().put("current", now == null ? null : row(lastAt, System.currentTimeMillis(), now, last.get(queue)))
        .put("minutes", minutes);
  }

  private static JsonObject row(long from, long to, long[] now, long[] before) {
    JsonObject r = new JsonObject().put("from", from).put("to", to);
    long[] d = new long[FIELDS.length];
    for (int i = 0; i < FIELDS.length; i++) d[i] = now[i] - (before == null ? 0 : before[i]);
    for (int i = 0; i < 5; i++) r.put(FIELDS[i], d[i]);
    return r.put("claim_mean_ms", d[4] == 0 ? null : d[5] / (double) d[4] / 1_000_000.0);
  }

  private Map<String, long[]> read() {
    Map<String, long[]> out = new HashMap<>();
    add(out, "piri.db.jobs.enqueued", null, 0);
    add(out, "piri.db.jobs.completed", null, 1);
    add(out, "piri.db.jobs.failed", "scheduled", 2);
    add(out, "piri.db.jobs.failed", "dead", 3);
    for (Timer t : registry.find("piri.db.claim").timers()) {
      long[] v = out.computeIfAbsent(t.getId().getTag("queue"), q -> new long[FIELDS.length]);
      v[4] += t.count();
      v[5] += (long) t.totalTime(TimeUnit.NANOSECONDS);
    }
    return out;
  }

  private void add(Map<String, long[]> out, String name, String state, int field) {
    for (Counter c : registry.find(name).counters()) {
      if (state != null && !state.equals(c.getId().getTag("state"))) continue;
      out.computeIfAbsent(c.getId().getTag("queue"), q -> new long[FIELDS.length])[field] += (long) c.count();
    }
  }
}
