package io.piri.db.queue;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.PiriConfig;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.DueTimer;
import io.piri.db.core.RetryBackoff;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Per-minute rollups of a queue store (table {@code queue_rollup}) and their read action
 * {@code rollups}. The engine's outcomes (through {@link QueueMeters}) are added up in memory per
 * queue and minute; once a minute is over, one transaction writes a row per queue that did
 * something in it, measures those queues' lag, and deletes rows older than the retention. A
 * minute in which nothing happened sets no timer and runs no SQL. The timer runs on the injected
 * clock; a stop writes the minute in progress, and the row of that minute adds up when the store
 * starts again within it (as the rows of several instances on PostgreSQL do). Confined to the
 * store's context.
 */
public final class Rollups implements ActionGroup {
  private static final Logger LOG = Logger.getLogger(Rollups.class.getName());
  static final long MINUTE_MS = 60_000;
  /** The longest window one read returns: a day of minutes. */
  static final int MAX_MINUTES = 1440;
  private static final long DEFAULT_WINDOW_MS = 60 * MINUTE_MS;
  private static final long MAX_TIME = 253_402_300_799_999L;
  /** Writes a read waits for at most: the one under way and the one asked of it meanwhile. */
  private static final int SETTLE_WRITES = 2;

  private record Entry(long minute, String queue, QueueMinute activity) {}

  private final Clock clock;
  private final Database db;
  private final QueueRequests requests;
  private final Duration retention;
  /**
   * Minute, then queue, each in order: instances that write the same minutes upsert their rows in
   * the same order, so that they wait for each other rather than deadlock.
   */
  private final TreeMap<Long, TreeMap<String, QueueMinute>> pending = new TreeMap<>();
  private final RetryBackoff retry = new RetryBackoff(1_000, 60_000);
  private final Statements sql;
  /** Set before any group starts: the queue engine's start reaps, and reports what it reaped. */
  private final DueTimer timer;
  /** The write in progress (it never fails: a failed one puts its minutes back), or null. */
  private Future<Void> inFlight;
  private boolean again;
  private boolean closed;

  public Rollups(Clock clock, StoreId id, PiriConfig config, Database db) {
    this.clock = clock;
    this.db = db;
    Map<String, QueueConfig> queues = new HashMap<>();
    config.queues().values().stream().filter(q -> q.store().equals(id.id())).forEach(q -> queues.put(q.name(), q));
    this.requests = new QueueRequests(queues);
    this.retention = config.rollupRetention();
    this.sql = db.sql("rollup");
    this.timer = new DueTimer(clock, this::flush);
  }

  @Override
  public void register(ActionRouter router) {
    router.on("rollups", this::rollups);
  }

  /** Writes what is still in memory, the minute in progress too, before the database closes. */
  @Override
  public Future<Void> stop() {
    closed = true;
    timer.cancel();
    Future<Void> before = inFlight == null ? Future.succeededFuture() : inFlight;
    return before.compose(v -> {
      again = false;
      flush();
      return inFlight == null ? Future.succeededFuture() : inFlight;
    });
  }

  void enqueued(String queue, long n) {
    if (n > 0) minute(queue).enqueued += n;
  }

  void completed(String queue, long n) {
    if (n > 0) minute(queue).completed += n;
  }

  void failed(String queue) {
    minute(queue).failed++;
  }

  void dead(String queue, long n) {
    if (n > 0) minute(queue).dead += n;
  }

  void claimed(String queue, long nanos, int jobs) {
    QueueMinute m = minute(queue);
    m.claims.record(nanos);
    m.claimed += jobs;
  }

  private QueueMinute minute(String queue) {
    long minute = minuteOf(clock.now());
    if (!closed) timer.at(minute + MINUTE_MS);
    return pending.computeIfAbsent(minute, k -> new TreeMap<>()).computeIfAbsent(queue, k -> new QueueMinute());
  }

  static long minuteOf(long t) {
    return t - Math.floorMod(t, MINUTE_MS);
  }

  /** Writes the minutes that are over (every minute once stopped); nothing if none had activity. */
  private void flush() {
    if (inFlight != null) {
      again = true;
      return;
    }
    long now = clock.now();
    long current = minuteOf(now);
    List<Entry> entries = new ArrayList<>();
    long last = Long.MIN_VALUE;
    while (!pending.isEmpty() && (closed || pending.firstKey() < current)) {
      var minute = pending.pollFirstEntry();
      last = minute.getKey();
      for (var q : minute.getValue().entrySet()) {
        if (q.getValue().active()) entries.add(new Entry(minute.getKey(), q.getKey(), q.getValue()));
      }
    }
    if (!pending.isEmpty() && !closed) timer.at(pending.firstKey() + MINUTE_MS);
    if (entries.isEmpty()) return;
    // The lag is what the queue shows now: it belongs to the minute just over, not to older ones
    // a failed write put back.
    long lagMinute = last >= current - MINUTE_MS ? last : Long.MIN_VALUE;
    Future<Void> write = write(entries, now, lagMinute).transform(ar -> {
      if (ar.succeeded()) {
        retry.reset();
      } else if (!closed) {
        long wait = retry.next();
        LOG.log(Level.WARNING, "writing queue rollups failed, trying again in " + wait + " ms: " + ar.cause().getMessage());
        for (Entry e : entries) {
          pending.computeIfAbsent(e.minute(), k -> new TreeMap<>()).computeIfAbsent(e.queue(), k -> new QueueMinute()).add(e.activity());
        }
        timer.in(wait);
      } else {
        LOG.log(Level.WARNING, "writing queue rollups at stop failed: " + ar.cause().getMessage());
      }
      return Future.<Void>succeededFuture();
    });
    inFlight = write;
    write.onComplete(v -> {
      inFlight = null;
      if (again) {
        again = false;
        flush();
      }
    });
  }

  private Future<Void> write(List<Entry> entries, long now, long lagMinute) {
    return db.write(tx -> {
      Future<Void> chain = Future.succeededFuture();
      for (Entry e : entries) {
        QueueMinute m = e.activity();
        chain = chain
            .compose(v -> e.minute() != lagMinute ? Future.succeededFuture((Long) null)
                : tx.run(sql.get("rollup-oldest-ready"), e.queue())
                    .map(rows -> rows.size() == 0 ? 0L : Math.max(0, now - rows.first().longValue("run_at"))))
            .compose(lag -> tx.run(sql.get("rollup-add"), e.queue(), e.minute(), m.enqueued, m.completed, m.failed, m.dead, lag,
                m.claims.percentileUs(0.50), m.claims.percentileUs(0.95), m.claims.percentileUs(0.99)))
            .mapEmpty();
      }
      if (retention.isZero()) return chain;
      // The minute the retention's start falls in is kept whole.
      return chain.compose(v -> tx.run(sql.get("rollup-prune"), minuteOf(now - retention.toMillis()))).mapEmpty();
    });
  }

  /**
   * {@code rollups}: a queue's minutes in [from, to) (epoch ms; default the hour before now), at
   * most {@link #MAX_MINUTES}. A minute that is over but whose write is due or under way is
   * waited for, so that a read after the minute's end sees it.
   */
  private Future<JsonObject> rollups(Request req) {
    req.only(Set.of("queue", "from", "to"));
    QueueConfig q = requests.queue(req);
    long to = req.optLong("to", 0, MAX_TIME, clock.now());
    long from = req.optLong("from", 0, MAX_TIME, Math.max(0, to - DEFAULT_WINDOW_MS));
    if (from > to) throw BusException.invalid("field 'from' must not be after 'to'");
    long first = minuteOf(from);
    if (to - first > MAX_MINUTES * MINUTE_MS) {
      throw BusException.invalid("field 'from': the window from 'from' to 'to' spans at most " + MAX_MINUTES + " minutes");
    }
    return settled(SETTLE_WRITES)
        .compose(v -> db.read(tx -> tx.run(sql.get("rollup-range"), q.name(), first, to, MAX_MINUTES)))
        .map(rows -> {
          JsonArray minutes = new JsonArray();
          for (Row r : rows) {
            minutes.add(r.json("minute", "enqueued", "completed", "failed", "dead", "lag_ms")
                .put("claim_p50_ms", millis(r.optLong("claim_p50_us")))
                .put("claim_p95_ms", millis(r.optLong("claim_p95_us")))
                .put("claim_p99_ms", millis(r.optLong("claim_p99_us"))));
          }
          return new JsonObject().put("minutes", minutes);
        });
  }

  /** A write that ends may have had another asked of it meanwhile: that one is waited for too. */
  private Future<Void> settled(int writes) {
    if (timer.dueBy(clock.now())) {
      timer.cancel();
      flush();
    }
    if (inFlight == null || writes == 0) return Future.succeededFuture();
    return inFlight.compose(v -> settled(writes - 1));
  }

  private static Double millis(Long us) {
    return us == null ? null : us / 1000.0;
  }
}
