package io.piri.db.queue;

import io.piri.db.audit.AuditTrail;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.Clock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transactions of bulk operations ({@code sql/bulk.sql}): starting one (its row and its audit
 * row), one batch, a cancel, and the reads. A batch walks a window of at most {@code size} rows
 * in id order after the operation's last id, applies the operation to those of them its filter
 * matches now, and moves the operation's done and last id on, all in one transaction: a batch
 * is either wholly done and recorded, or not at all. The row changes themselves are the queue
 * engine's (the same statements, counters and dedupe bookkeeping as dead-requeue, dead-purge and
 * a dead-lettering).
 */
final class BulkEngine {
  static final String CHANNEL = "bulk";
  static final String RUNNING = "running";
  static final String DONE = "done";
  static final String CANCELLED = "cancelled";

  /**
   * What one batch did: rows changed, whether the operation goes on, and how long its statements
   * held the database (on SQLite, the one writer), in ms: from the work's start to its last
   * statement, without the wait for the writer before it or the hand-back after it.
   */
  record Batch(int rows, boolean more, double heldMs) {}

  private final Database db;
  private final Statements sql;
  private final Statements queueSql;
  private final QueueEngine engine;
  private final AuditTrail audit;
  private final Clock clock;
  private final Map<String, QueueConfig> queues;

  BulkEngine(Database db, Clock clock, Map<String, QueueConfig> queues, QueueEngine engine) {
    this.db = db;
    this.sql = db.sql("bulk");
    this.queueSql = db.sql("queue");
    this.engine = engine;
    this.audit = new AuditTrail(db, clock);
    this.clock = clock;
    this.queues = queues;
  }

  private static boolean dead(String op) {
    return !op.equals("cancel");
  }

  /**
   * Records a new operation, leased to {@code owner}, with the number of rows matching now (one
   * count, read beside the writes so that the writer is not held by it) and its audit row;
   * answers its row.
   */
  Future<JsonObject> start(QueueConfig q, String op, BulkFilter filter, AuditTrail.Actor actor, String owner, long leaseMs) {
    String kind = dead(op) ? "dead" : "live";
    long[] found = new long[2];
    return db.read(conn -> conn.run(sql.get("bulk-" + kind + "-upto"), dead(op) ? new Object[] {q.name()} : new Object[0])
            .compose(rows -> {
              found[0] = rows.first().longValue("upto");
              return conn.run(sql.get("bulk-" + kind + "-count"), filter.params(q.name(), 0, found[0]));
            }))
        .compose(rows -> {
          found[1] = rows.first().longValue("n");
          long now = clock.now();
          return db.write(conn -> conn.run(sql.get("bulk-insert"), q.name(), op, filter.toJson().encode(), found[1], found[0],
                  actor.name(), actor.role(), actor.via(), now, owner, now + leaseMs)
              .compose(ins -> {
                long id = ins.first().longValue("id");
                JsonObject what = new JsonObject().put("operation", id).put("op", op).put("filter", filter.toJson());
                return audit.record(conn, actor, "bulk-start", q.name(), what, found[1])
                    .compose(v -> conn.notifyAfterCommit(CHANNEL, String.valueOf(id)))
                    .map(id);
              }));
        })
        .compose(this::get);
  }

  /** Takes or keeps the operation's lease for {@code owner}; null when another owner's runs on. */
  Future<Long> lease(long id, String owner, long leaseMs) {
    long now = clock.now();
    return db.write(conn -> conn.run(sql.get("bulk-lease"), id, owner, now + leaseMs, now))
        .map(rows -> rows.size() == 1 ? rows.first().longValue("lease_until") : null);
  }

  /** One batch of at most {@code size} rows, while {@code owner} holds the lease (renewed by it). */
  Future<Batch> batch(long id, String owner, int size, long leaseMs) {
    long now = clock.now();
    QueueConfig[] touched = new QueueConfig[1];
    return db.write(conn -> {
      long began = System.nanoTime();
      return batch(conn, id, owner, size, leaseMs, now, touched)
          .map(b -> new Batch(b.rows(), b.more(), (System.nanoTime() - began) / 1e6));
    }).onSuccess(b -> {
      if (b.rows() > 0 && touched[0] != null) engine.changed(touched[0]);
    });
  }

  private Future<Batch> batch(Tx conn, long id, String owner, int size, long leaseMs, long now, QueueConfig[] touched) {
    Batch stopped = new Batch(0, false, 0);
    return conn.run(sql.get("bulk-renew"), id, owner, now + leaseMs, now).compose(ops -> {
      if (ops.size() == 0) return Future.succeededFuture(stopped);
      Row o = ops.first();
      String op = o.string("op");
      QueueConfig q = queues.get(o.string("queue"));
      if (q == null) return end(conn, id, CANCELLED, null, null).map(stopped);
      touched[0] = q;
      BulkFilter filter = BulkFilter.parse(op, new JsonObject(o.string("filter")));
      long after = o.longValue("last_id");
      long upto = o.longValue("upto_id");
      Future<io.piri.db.backend.Rows> window = dead(op)
          ? conn.run(sql.get("bulk-dead-window"), q.name(), after, upto, size)
          : conn.run(sql.get("bulk-live-window"), after, upto, size);
      return window.compose(w -> {
        Long last = w.first().optLong("last");
        if (last == null) return end(conn, id, DONE, actor(o), "bulk-done").map(stopped);
        boolean lastWindow = w.first().longValue("n") < size;
        Object[] params = filter.params(q.name(), after, last);
        return apply(conn, id, q, op, params, now)
            .compose(n -> conn.run(sql.get("bulk-advance"), id, (long) n, last, now)
                .compose(v -> lastWindow ? end(conn, id, DONE, actor(o), "bulk-done") : Future.succeededFuture(false))
                .map(new Batch(n, !lastWindow, 0)));
      });
    });
  }

  private Future<Integer> apply(Tx conn, long id, QueueConfig q, String op, Object[] params, long now) {
    return switch (op) {
      case "purge" -> conn.run(sql.get("bulk-dead-ids"), params).compose(rows -> {
        JsonArray ids = new JsonArray();
        rows.forEach(r -> ids.add(r.longValue("id")));
        return engine.purgeTaken(conn, q, ids.encode());
      });
      case "requeue" -> conn.run(sql.get("bulk-dead-take"), params).compose(rows -> {
        List<Row> taken = new ArrayList<>();
        rows.forEach(taken::add);
        return engine.requeueTaken(conn, q, taken, now);
      });
      default -> conn.run(sql.get("bulk-live-take"), params).compose(rows -> {
        List<QueueEngine.Held> jobs = new ArrayList<>();
        for (Row r : rows) jobs.add(new QueueEngine.Held(r.longValue("id"), 0, 0, r.string("name"), r.bytes("dedupe_key"), r.string("state")));
        if (jobs.isEmpty()) return Future.succeededFuture(0);
        Counts counts = new Counts();
        return engine.deadLetter(conn, q, jobs, "cancelled", "cancelled by bulk operation " + id, now, counts)
            .compose(v -> counts.write(conn, queueSql, q.name()))
            .map(jobs.size());
      });
    };
  }

  private static AuditTrail.Actor actor(Row o) {
    return new AuditTrail.Actor(o.string("actor"), o.string("actor_role"), o.string("via"));
  }

  /**
   * Ends a running operation as {@code state}, with its audit row when {@code actor} (who ended
   * it) is given; false when it was not running.
   */
  private Future<Boolean> end(Tx conn, long id, String state, AuditTrail.Actor actor, String action) {
    return conn.run(sql.get("bulk-end"), id, state, clock.now()).compose(rows -> {
      if (rows.size() == 0) return Future.succeededFuture(false);
      if (actor == null) return Future.succeededFuture(true);
      Row r = rows.first();
      JsonObject what = new JsonObject().put("operation", id).put("op", r.string("op"))
          .put("filter", new JsonObject(r.string("filter"))).put("matching", r.longValue("matching"));
      return audit.record(conn, actor, action, r.string("queue"), what, r.longValue("done")).map(true);
    });
  }

  /** Cancels a running operation for {@code actor}: 404 when there is none, 409 when it has ended. */
  Future<JsonObject> cancel(long id, AuditTrail.Actor actor) {
    return db.write(conn -> end(conn, id, CANCELLED, actor, "bulk-cancel")).compose(ended -> get(id).map(op -> {
      if (!ended) throw BusException.conflict("bulk operation " + id + " is " + op.getString("state") + ", not running");
      return op;
    }));
  }

  Future<JsonObject> get(long id) {
    return db.read(conn -> conn.run(sql.get("bulk-get"), id)).map(rows -> {
      if (rows.size() == 0) throw BusException.notFound("no bulk operation " + id + " in this store");
      return json(rows.first());
    });
  }

  Future<JsonArray> list(String queue, int limit) {
    return db.read(conn -> conn.run(sql.get("bulk-list"), queue, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      rows.forEach(r -> out.add(json(r)));
      return out;
    });
  }

  Future<List<Long>> running() {
    return db.read(conn -> conn.run(sql.get("bulk-running"))).map(rows -> {
      List<Long> ids = new ArrayList<>();
      rows.forEach(r -> ids.add(r.longValue("id")));
      return ids;
    });
  }

  private static JsonObject json(Row r) {
    return new JsonObject().put("operation", r.longValue("id")).put("queue", r.string("queue")).put("op", r.string("op"))
        .put("filter", new JsonObject(r.string("filter"))).put("state", r.string("state"))
        .put("done", r.longValue("done")).put("matching", r.longValue("matching")).put("last_id", r.longValue("last_id"))
        .put("actor", r.string("actor")).put("started_at", r.longValue("started_at")).put("updated_at", r.longValue("updated_at"))
        .put("finished_at", r.optLong("finished_at")).put("lease_until", r.optLong("lease_until"));
  }
}
