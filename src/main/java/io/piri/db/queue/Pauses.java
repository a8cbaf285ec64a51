package io.piri.db.queue;

import io.piri.db.audit.AuditTrail;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.Waiters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Paused queues: the {@code pause} and {@code resume} actions and what claims of this instance know
 * of them. A pause is a {@code queue_pause} row, which every claim statement reads (so it holds on
 * every instance and across restarts). On PostgreSQL a claim holds its queue's pause lock shared
 * ({@link #lockKey}) and a pause takes it exclusively, so a pause waits for the claims under way
 * and the claims after it see it: once a pause is acknowledged, no claim hands out a job of the
 * queue. Claims waiting here on a paused queue stop looking ({@link Waiters#hold}); other
 * instances learn it from the {@value #CHANNEL} channel, and a resume also wakes the queue's
 * claims on {@link QueueEngine#CHANNEL}. Confined to the store's context.
 */
final class Pauses {
  static final String CHANNEL = "pauses";
  private static final long LOCK_SPACE = (long) "queue_pause".hashCode() << 32;

  private final Database db;
  private final Statements sql;
  private final Clock clock;
  private final Map<String, QueueConfig> queues;
  private final QueueRequests requests;
  private final Waiters waiters;
  private final Set<String> held = new HashSet<>();

  Pauses(Database db, Clock clock, Map<String, QueueConfig> queues, QueueRequests requests, Waiters waiters) {
    this.db = db;
    this.sql = db.sql("pause");
    this.clock = clock;
    this.queues = queues;
    this.requests = requests;
    this.waiters = waiters;
  }

  /** The advisory lock a queue's claims hold shared and its pause and resume exclusively. */
  static long lockKey(String queue) {
    return LOCK_SPACE | (queue.hashCode() & 0xffffffffL);
  }

  /** Reads the paused queues before the store answers, and follows other instances' changes. */
  Future<Void> start() {
    db.listen(CHANNEL, payload -> {
      if (payload == null) {
        reload();
        return;
      }
      int space = payload.indexOf(' ');
      if (space > 0) apply(payload.substring(space + 1), payload.startsWith("pause "));
    });
    return reload();
  }

  /** Notifications may have been lost: the table says what is paused. */
  private Future<Void> reload() {
    return db.read(tx -> tx.run(sql.get("pause-list"))).map(rows -> {
      Set<String> paused = new HashSet<>();
      for (Row r : rows) paused.add(r.string("queue"));
      for (String q : queues.keySet()) apply(q, paused.contains(q));
      return null;
    });
  }

  private void apply(String queue, boolean paused) {
    if (!queues.containsKey(queue)) return;
    if (paused && held.add(queue)) waiters.hold(queue);
    if (!paused && held.remove(queue)) waiters.release(queue);
  }

  Future<JsonObject> pause(Request req) {
    return change(req, true);
  }

  Future<JsonObject> resume(Request req) {
    return change(req, false);
  }

  private Future<JsonObject> change(Request req, boolean pause) {
    req.only(Set.of("queue", "all"));
    boolean all = req.optBool("all", false);
    if (all == req.has("queue")) throw BusException.invalid("exactly one of 'queue' and 'all: true' is required");
    List<QueueConfig> asked = new ArrayList<>(all ? queues.values() : List.of(requests.queue(req)));
    // Locks in one order, so that two changes of several queues wait for each other, never deadlock.
    asked.sort(Comparator.comparingLong((QueueConfig q) -> lockKey(q.name())).thenComparing(QueueConfig::name));
    AuditTrail.Entry audit = new AuditTrail(db, clock).entry(req, all ? null : asked.get(0).name());
    long now = clock.now();
    List<JsonObject> states = new ArrayList<>();
    return db.write(audit.around(tx -> {
      // The work may run again (SQLite retries a failed group commit request by request).
      states.clear();
      int[] changed = new int[1];
      Future<Void> chain = Future.succeededFuture();
      for (QueueConfig q : asked) {
        chain = chain.compose(v -> tx.lock(lockKey(q.name())))
            .compose(v -> pause ? pauseOne(tx, q.name(), now, req.actor()) : resumeOne(tx, q.name(), now, req.actor()))
            .map(state -> {
              if (state.getBoolean("changed")) changed[0]++;
              states.add(state);
              return null;
            });
      }
      return chain.map(v -> changed[0]);
    })).map(n -> {
      for (JsonObject s : states) apply(s.getString("queue"), pause);
      states.sort(Comparator.comparing(s -> s.getString("queue")));
      JsonArray out = new JsonArray();
      states.forEach(s -> {
        s.remove("changed");
        out.add(s);
      });
      return all ? new JsonObject().put("queues", out) : out.getJsonObject(0);
    });
  }

  /** Pauses one queue; a queue paused already stays paused since then, by whom paused it. */
  private Future<JsonObject> pauseOne(Tx tx, String queue, long now, String by) {
    return tx.run(sql.get("pause-insert"), queue, now, by).compose(inserted -> {
      boolean changed = inserted.size() == 1;
      Future<Void> told = changed ? tx.notifyAfterCommit(CHANNEL, "pause " + queue) : Future.succeededFuture();
      return told.compose(v -> tx.run(sql.get("pause-get"), queue)).map(rows -> {
        Row r = rows.first();
        return state(queue, true, r.longValue("paused_at"), r.string("paused_by")).put("changed", changed);
      });
    });
  }

  /** Resumes one queue; its waiting claims, here and on every instance, look again. */
  private Future<JsonObject> resumeOne(Tx tx, String queue, long now, String by) {
    return tx.run(sql.get("pause-delete"), queue).compose(deleted -> {
      boolean changed = deleted.size() == 1;
      Future<Void> told = changed
          ? tx.notifyAfterCommit(CHANNEL, "resume " + queue).compose(v -> tx.notifyAfterCommit(QueueEngine.CHANNEL, queue + " " + now))
          : Future.succeededFuture();
      return told.map(v -> state(queue, false, now, by).put("changed", changed));
    });
  }

  private static JsonObject state(String queue, boolean paused, long at, String by) {
    return new JsonObject().put("queue", queue).put("paused", paused).put("at", at).put("by", by);
  }

  /** Adds {@code "paused"} to each queue's counts, as the table holds it now. */
  Future<JsonObject> annotate(JsonObject counts) {
    return db.read(tx -> tx.run(sql.get("pause-list"))).map(rows -> {
      Set<String> paused = new HashSet<>();
      for (Row r : rows) paused.add(r.string("queue"));
      counts.forEach(e -> ((JsonObject) e.getValue()).put("paused", paused.contains(e.getKey())));
      return counts;
    });
  }
}
