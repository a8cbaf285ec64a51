package io.piri.db.queue;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.bus.BusException;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.Waiters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The job-queue algorithm, the same for both backends: every operation is one transaction of
 * statements from {@code sql/<dialect>/queue.sql}. Enqueues notify the store's "jobs" channel
 * with "queue runAt" once they commit, so waiting claims here and on other instances wake up.
 */
final class QueueEngine {
  static final String CHANNEL = "jobs";
  private static final int REAP_BATCH = 500;

  private final Database db;
  private final Statements sql;
  private final Clock clock;

  QueueEngine(Database db, Clock clock) {
    this.db = db;
    this.sql = db.sql("queue");
    this.clock = clock;
  }

  record Enqueued(Long id, boolean duplicate) {}

  /** A live job as the claim, complete and fail paths see it. */
  private record Held(long id, String receipt, int attempts, int maxAttempts, String name, byte[] key) {}

  Future<List<Enqueued>> enqueue(QueueConfig q, List<JobInput> jobs) {
    long now = clock.now();
    return db.write(conn -> {
      Future<Void> locked = q.dedupe() ? lockKeys(conn, q, jobs.stream().map(j -> j.dedupeKey()).toList()) : Future.succeededFuture();
      List<Enqueued> out = new ArrayList<>(jobs.size());
      Future<Void> chain = locked;
      for (JobInput job : jobs) {
        chain = chain.compose(v -> insertOne(conn, q, job, now)).map(e -> {
          out.add(e);
          return null;
        });
      }
      long earliest = now + jobs.stream().mapToLong(JobInput::delayMs).min().orElse(0);
      return chain.compose(v -> db.notifyAfterCommit(conn, CHANNEL, q.name() + " " + earliest)).map(out);
    });
  }

  private Future<Enqueued> insertOne(SqlConnection conn, QueueConfig q, JobInput job, long now) {
    Future<Boolean> blocked = job.dedupeKey() == null
        ? Future.succeededFuture(false)
        : conn.preparedQuery(sql.get("done-check"))
            .execute(Tuple.of(q.name(), job.name(), db.blob(job.dedupeKey()), q.blockRepeatsOnDead() ? 2 : 1))
            .map(rows -> rows.size() > 0);
    return blocked.compose(skip -> {
      if (skip) return Future.succeededFuture(new Enqueued(null, true));
      Tuple t = Tuple.of(q.name(), job.name(), db.blob(job.payload()), job.json() ? 1 : 0,
          db.blob(job.dedupeKey()), now, now + job.delayMs(), q.maxAttempts());
      return conn.preparedQuery(sql.get("insert")).execute(t).map(rows -> rows.size() == 0
          ? new Enqueued(null, true)
          : new Enqueued(Rows.num(rows.iterator().next(), 0), false));
    });
  }

  /** Claims up to {@code max} ready jobs, oldest due first; each gets a new receipt. */
  Future<List<JsonObject>> claim(QueueConfig q, int max, long leaseMs) {
    long now = clock.now();
    return db.write(conn -> conn.preparedQuery(sql.get("claim")).execute(Tuple.of(q.name(), now, max, now + leaseMs)))
        .map(rows -> {
          List<JsonObject> jobs = new ArrayList<>(rows.size());
          for (Row r : rows) {
            JsonObject j = new JsonObject()
                .put("id", Rows.num(r, 0))
                .put("name", r.getString(1));
            Rows.putPayload(j, Rows.bytes(r, 2), Rows.num(r, 3) == 1);
            j.put("attempt", (int) Rows.num(r, 4))
                .put("max_attempts", (int) Rows.num(r, 5))
                .put("enqueued_at", Rows.num(r, 6))
                .put("receipt", r.getString(7))
                .put("visible_at", now + leaseMs);
            jobs.add(j);
          }
          jobs.sort((a, b) -> Long.compare(a.getLong("id"), b.getLong("id")));
          return jobs;
        });
  }

  /**
   * When the next job of the queue becomes due after {@code since} (a delay, a retry or a lease
   * ending), and whether the queue holds no job at all.
   */
  Future<Waiters.Due> nextDue(QueueConfig q, long since) {
    return db.read(conn -> conn.preparedQuery(sql.get("next-due")).execute(Tuple.of(q.name(), since)))
        .map(rows -> {
          Row r = rows.iterator().next();
          return new Waiters.Due(Rows.longOrNull(r, 0), !Rows.bool(r, 1));
        });
  }

  Future<Long> extend(QueueConfig q, long id, String receipt, long leaseMs) {
    long visibleAt = clock.now() + leaseMs;
    return db.write(conn -> conn.preparedQuery(sql.get("extend")).execute(Tuple.of(id, q.name(), receipt, visibleAt))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(visibleAt) : staleOrMissing(conn, q, id)));
  }

  /** Completes one job; with {@code lenient} a stale or missing job counts as not completed. */
  Future<Boolean> completeOne(SqlConnection conn, QueueConfig q, long id, String receipt, boolean lenient) {
    Future<Void> ready = q.dedupe()
        ? hold(conn, q, id, receipt).compose(h -> h == null ? Future.succeededFuture() : lockKeys(conn, q, Arrays.asList(h.key())))
        : Future.succeededFuture();
    return ready
        .compose(v -> conn.preparedQuery(sql.get("complete")).execute(Tuple.of(id, q.name(), receipt)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return lenient ? Future.succeededFuture(false) : staleOrMissing(conn, q, id).map(x -> false);
          }
          Row r = rows.iterator().next();
          byte[] key = Rows.bytes(r, 1);
          if (!q.dedupe() || key == null) return Future.succeededFuture(true);
          return recordDone(conn, q, r.getString(0), key, 1).map(true);
        });
  }

  Future<Boolean> complete(QueueConfig q, long id, String receipt) {
    return db.write(conn -> completeOne(conn, q, id, receipt, false));
  }

  /** Completes each item it still holds; returns the ids it could not (stale or gone). */
  Future<List<Long>> completeAll(QueueConfig q, List<Long> ids, List<String> receipts) {
    return db.write(conn -> {
      List<Long> stale = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < ids.size(); i++) {
        long id = ids.get(i);
        String receipt = receipts.get(i);
        chain = chain.compose(v -> completeOne(conn, q, id, receipt, true)).map(ok -> {
          if (!ok) stale.add(id);
          return null;
        });
      }
      return chain.map(stale);
    });
  }

  /** A failed attempt: retried after a backoff, or dead-lettered when permanent or the last. */
  Future<JsonObject> fail(QueueConfig q, long id, String receipt, String error, boolean permanent, Long retryInMs) {
    long now = clock.now();
    return db.write(conn -> hold(conn, q, id, receipt).compose(h -> {
      if (h == null) return staleOrMissing(conn, q, id);
      if (permanent || h.attempts() >= h.maxAttempts()) {
        String reason = permanent ? "permanent_error" : "max_attempts";
        return deadLetter(conn, q, List.of(h), reason, error, now).map(v -> new JsonObject().put("state", "dead"));
      }
      long runAt = now + (retryInMs != null ? retryInMs : Backoff.delayMs(q, h.attempts()));
      return conn.preparedQuery(sql.get("retry")).execute(Tuple.of(id, q.name(), receipt, runAt, error))
          .compose(rows -> rows.size() == 1
              ? db.notifyAfterCommit(conn, CHANNEL, q.name() + " " + runAt)
                  .map(v -> new JsonObject().put("state", "scheduled").put("run_at", runAt))
              : staleOrMissing(conn, q, id));
    }));
  }

  /**
   * Dead-letters jobs whose lease ran out on their last attempt (reason max_attempts). Returns
   * when the next such lease ends, or null when no job is on its last attempt.
   */
  Future<Long> reap(QueueConfig q) {
    long now = clock.now();
    return db.write(conn -> conn.preparedQuery(sql.get("reap-select")).execute(Tuple.of(q.name(), now, REAP_BATCH))
        .compose(rows -> {
          List<Held> expired = new ArrayList<>();
          for (Row r : rows) expired.add(new Held(Rows.num(r, 0), null, 0, 0, r.getString(1), Rows.bytes(r, 2)));
          return expired.isEmpty() ? Future.succeededFuture() : deadLetter(conn, q, expired, "max_attempts", null, now);
        })
        .compose(v -> conn.preparedQuery(sql.get("exhausted-next")).execute(Tuple.of(q.name())))
        .map(rows -> Rows.longOrNull(rows.iterator().next(), 0)));
  }

  /** The oldest ready (claim order) or running (by id) jobs of a queue; reads only. */
  Future<JsonArray> jobs(QueueConfig q, boolean running, int limit) {
    long now = clock.now();
    return db.read(conn -> conn.preparedQuery(sql.get(running ? "jobs-running" : "jobs-ready"))
            .execute(Tuple.of(q.name(), now, limit)))
        .map(rows -> {
          JsonArray jobs = new JsonArray();
          for (Row r : rows) {
            jobs.add(new JsonObject().put("id", Rows.num(r, 0)).put("name", r.getString(1))
                .put("attempts", (int) Rows.num(r, 2)).put("max_attempts", (int) Rows.num(r, 3))
                .put("enqueued_at", Rows.num(r, 4)).put(running ? "lease_until" : "run_at", Rows.num(r, 5))
                .put("last_error", r.getString(6)));
          }
          return jobs;
        });
  }

  Future<JsonObject> deadList(QueueConfig q, long afterId, int limit) {
    return db.read(conn -> conn.preparedQuery(sql.get("dead-list")).execute(Tuple.of(q.name(), afterId, limit)))
        .map(rows -> {
          JsonArray jobs = new JsonArray();
          Long last = null;
          for (Row r : rows) {
            last = Rows.num(r, 0);
            JsonObject j = new JsonObject().put("id", last).put("job_id", Rows.num(r, 1)).put("name", r.getString(2));
            Rows.putPayload(j, Rows.bytes(r, 3), Rows.num(r, 4) == 1);
            jobs.add(j.put("attempts", (int) Rows.num(r, 5)).put("reason", r.getString(6))
                .put("error", r.getString(7)).put("failed_at", Rows.num(r, 8)));
          }
          return new JsonObject().put("jobs", jobs).put("next_after_id", rows.size() == limit ? last : null);
        });
  }

  /** Moves dead jobs back to the queue as new jobs with fresh attempts; null ids means all. */
  Future<Integer> deadRequeue(QueueConfig q, JsonArray ids) {
    long now = clock.now();
    String idsJson = ids == null ? null : ids.encode();
    return db.write(conn -> conn.preparedQuery(sql.get("dead-take"))
        .execute(Tuple.of(q.name(), idsJson, ids == null ? 1_000_000 : ids.size()))
        .compose(rows -> {
          List<Row> taken = new ArrayList<>();
          rows.forEach(taken::add);
          Future<Void> chain = q.dedupe()
              ? lockKeys(conn, q, taken.stream().map(r -> Rows.bytes(r, 4)).toList())
              : Future.succeededFuture();
          JsonArray takenIds = new JsonArray();
          for (Row r : taken) {
            takenIds.add(Rows.num(r, 0));
            byte[] key = Rows.bytes(r, 4);
            JobInput job = new JobInput(r.getString(1), Rows.bytes(r, 2), Rows.num(r, 3) == 1, 0, key);
            if (key != null) {
              chain = chain.compose(v -> conn.preparedQuery(sql.get("done-forget"))
                  .execute(Tuple.of(q.name(), job.name(), db.blob(key))).mapEmpty());
            }
            chain = chain.compose(v -> insertOne(conn, q, job, now)).mapEmpty();
          }
          if (taken.isEmpty()) return Future.succeededFuture(0);
          return chain
              .compose(v -> conn.preparedQuery(sql.get("dead-delete")).execute(Tuple.of(q.name(), takenIds.encode())))
              .compose(v -> db.notifyAfterCommit(conn, CHANNEL, q.name() + " " + now))
              .map(taken.size());
        }));
  }

  Future<Integer> deadPurge(QueueConfig q, JsonArray ids) {
    return db.write(conn -> conn.preparedQuery(sql.get("dead-delete"))
        .execute(Tuple.of(q.name(), ids == null ? null : ids.encode()))
        .map(RowSet::rowCount));
  }

  /**
   * Counts per queue: ready, scheduled, running, dead and (flushed) done. One queue is counted
   * from its own rows only; several in one pass over each table.
   */
  Future<JsonObject> stats(List<QueueConfig> queues) {
    long now = clock.now();
    String one = queues.size() == 1 ? queues.get(0).name() : null;
    String suffix = one == null ? "" : "-queue";
    Tuple byQueue = one == null ? Tuple.tuple() : Tuple.of(one);
    return db.read(conn -> conn.preparedQuery(sql.get("stats-live" + suffix))
        .execute(one == null ? Tuple.of(now) : Tuple.of(now, one))
        .compose(live -> conn.preparedQuery(sql.get("stats-dead" + suffix)).execute(byQueue)
            .compose(dead -> conn.preparedQuery(sql.get("stats-done" + suffix)).execute(byQueue)
                .map(done -> {
                  JsonObject out = new JsonObject();
                  for (QueueConfig q : queues) {
                    out.put(q.name(), new JsonObject().put("ready", 0L).put("scheduled", 0L).put("running", 0L)
                        .put("dead", 0L).put("done", 0L));
                  }
                  for (Row r : live) {
                    JsonObject s = out.getJsonObject(r.getString(0));
                    if (s != null) s.put("ready", Rows.num(r, 1)).put("scheduled", Rows.num(r, 2)).put("running", Rows.num(r, 3));
                  }
                  for (Row r : dead) {
                    JsonObject s = out.getJsonObject(r.getString(0));
                    if (s != null) s.put("dead", Rows.num(r, 1));
                  }
                  for (Row r : done) {
                    JsonObject s = out.getJsonObject(r.getString(0));
                    if (s != null) s.put("done", Rows.num(r, 1));
                  }
                  return out;
                }))));
  }

  /**
   * Enqueues jobs of a queue without dedupe in one statement, ids in input order. Used for
   * batches and for single enqueues that arrived together ({@link Coalescer}).
   */
  Future<List<Enqueued>> enqueueMany(QueueConfig q, List<JobInput> jobs) {
    long now = clock.now();
    JsonArray items = new JsonArray();
    HexFormat hex = HexFormat.of();
    for (JobInput j : jobs) {
      items.add(new JsonObject().put("n", j.name()).put("p", hex.formatHex(j.payload())).put("j", j.json() ? 1 : 0)
          .put("d", j.delayMs()));
    }
    long earliest = now + jobs.stream().mapToLong(JobInput::delayMs).min().orElse(0);
    return db.write(conn -> conn.preparedQuery(sql.get("insert-many"))
        .execute(Tuple.of(q.name(), now, q.maxAttempts(), items.encode()))
        .compose(rows -> db.notifyAfterCommit(conn, CHANNEL, q.name() + " " + earliest).map(rows)))
        .map(rows -> {
          List<Long> ids = new ArrayList<>(rows.size());
          rows.forEach(r -> ids.add(Rows.num(r, 0)));
          ids.sort(null);
          List<Enqueued> out = new ArrayList<>(ids.size());
          ids.forEach(id -> out.add(new Enqueued(id, false)));
          return out;
        });
  }

  /**
   * Completes jobs of a queue without dedupe in one statement. Per item: null when completed,
   * else the 409 or 404 that a single complete would have given. Items may name one job more
   * than once (single completes that arrived together): the first with the job's receipt completes
   * it, the others get what a later complete gets.
   */
  Future<List<BusException>> completeMany(QueueConfig q, List<Long> ids, List<String> receipts) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < ids.size(); i++) items.add(new JsonObject().put("i", ids.get(i)).put("r", receipts.get(i)));
    return db.write(conn -> conn.preparedQuery(sql.get("complete-many")).execute(Tuple.of(q.name(), items.encode()))
        .compose(rows -> {
          Map<Long, String> completed = new HashMap<>();
          rows.forEach(r -> completed.put(Rows.num(r, 0), r.getString(1)));
          List<BusException> out = new ArrayList<>(ids.size());
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            if (completed.remove(id, receipts.get(i))) {
              out.add(null);
              continue;
            }
            int slot = out.size();
            out.add(null);
            chain = chain.compose(v -> this.<Void>staleOrMissing(conn, q, id).transform(ar -> {
              out.set(slot, (BusException) ar.cause());
              return Future.succeededFuture();
            }));
          }
          return chain.map(out);
        }));
  }

  Future<Void> addDone(String queue, long n) {
    return db.write(conn -> conn.preparedQuery(sql.get("counter-add")).execute(Tuple.of(queue, n)).mapEmpty());
  }

  private Future<Held> hold(SqlConnection conn, QueueConfig q, long id, String receipt) {
    return conn.preparedQuery(sql.get("hold")).execute(Tuple.of(id, q.name(), receipt)).map(rows -> {
      if (rows.size() == 0) return null;
      Row r = rows.iterator().next();
      return new Held(id, receipt, (int) Rows.num(r, 0), (int) Rows.num(r, 1), r.getString(2), Rows.bytes(r, 3));
    });
  }

  /** The job is gone (404) or held under another receipt (409); nothing was changed. */
  private <T> Future<T> staleOrMissing(SqlConnection conn, QueueConfig q, long id) {
    return conn.preparedQuery(sql.get("holder")).execute(Tuple.of(id, q.name())).compose(rows -> Future.failedFuture(
        rows.size() == 0
            ? BusException.notFound("job " + id + " is not in queue '" + q.name() + "'")
            : BusException.conflict("receipt of job " + id + " is not current (the job was claimed again)")));
  }

  private Future<Void> deadLetter(SqlConnection conn, QueueConfig q, List<Held> jobs, String reason, String error, long now) {
    JsonArray ids = new JsonArray();
    jobs.forEach(h -> ids.add(h.id()));
    Future<Void> chain = q.dedupe() ? lockKeys(conn, q, jobs.stream().map(Held::key).toList()) : Future.succeededFuture();
    chain = chain
        .compose(v -> conn.preparedQuery(sql.get("dead-insert")).execute(Tuple.of(ids.encode(), reason, error, now)))
        .compose(v -> conn.preparedQuery(sql.get("delete-ids")).execute(Tuple.of(ids.encode())))
        .mapEmpty();
    if (q.dedupe() && q.blockRepeatsOnDead()) {
      for (Held h : jobs) {
        if (h.key() != null) chain = chain.compose(v -> recordDone(conn, q, h.name(), h.key(), 2));
      }
    }
    return chain;
  }

  private Future<Void> recordDone(SqlConnection conn, QueueConfig q, String name, byte[] key, int status) {
    return conn.preparedQuery(sql.get("done-record"))
        .execute(Tuple.of(q.name(), name, db.blob(key), status, clock.now()))
        .mapEmpty();
  }

  /**
   * Serializes work on dedupe keys across PostgreSQL instances (a no-op on SQLite's single
   * writer), in a fixed order so that two transactions never wait on each other.
   */
  private Future<Void> lockKeys(SqlConnection conn, QueueConfig q, List<byte[]> keys) {
    TreeSet<Long> locks = new TreeSet<>();
    long scope = q.name().hashCode();
    for (byte[] k : keys) {
      if (k != null) locks.add(ByteBuffer.wrap(k).getLong() ^ (scope << 32));
    }
    Future<Void> chain = Future.succeededFuture();
    for (long lock : locks) {
      chain = chain.compose(v -> conn.preparedQuery(sql.get("lock-key")).execute(Tuple.of(lock)).mapEmpty());
    }
    return chain;
  }
}
