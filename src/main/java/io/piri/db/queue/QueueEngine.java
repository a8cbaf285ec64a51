package io.piri.db.queue;

import io.piri.db.audit.AuditTrail;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.piri.db.config.QueueConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.Waiters;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The job-queue algorithm, the same for both backends: every operation is one transaction (or one
 * read) of statements from {@code sql/queue.sql} and the dialect's own. Enqueues notify the
 * store's "jobs" channel with "queue runAt" once they commit, so waiting claims here and on other
 * instances wake up.
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
      return chain.compose(v -> conn.notifyAfterCommit(CHANNEL, q.name() + " " + earliest)).map(out);
    });
  }

  private Future<Enqueued> insertOne(Tx conn, QueueConfig q, JobInput job, long now) {
    Future<Boolean> blocked = job.dedupeKey() == null
        ? Future.succeededFuture(false)
        : conn.run(sql.get("done-check"), q.name(), job.name(), job.dedupeKey(), q.blockRepeatsOnDead() ? 2 : 1)
            .map(rows -> rows.size() > 0);
    return blocked.compose(skip -> {
      if (skip) return Future.succeededFuture(new Enqueued(null, true));
      return conn.run(sql.get("insert"), q.name(), job.name(), job.payload(), job.json() ? 1 : 0,
              job.dedupeKey(), now, now + job.delayMs(), q.maxAttempts())
          .map(rows -> rows.size() == 0 ? new Enqueued(null, true) : new Enqueued(rows.first().longValue("id"), false));
    });
  }

  /** Claims up to {@code max} ready jobs, oldest due first; each gets a new receipt. */
  Future<List<JsonObject>> claim(QueueConfig q, int max, long leaseMs) {
    long now = clock.now();
    return db.write(conn -> conn.run(sql.get("claim"), q.name(), now, max, now + leaseMs))
        .map(rows -> {
          List<JsonObject> jobs = new ArrayList<>(rows.size());
          for (Row r : rows) {
            JsonObject j = new JsonObject()
                .put("id", r.longValue("id"))
                .put("name", r.string("name"));
            putPayload(j, r);
            j.put("attempt", r.intValue("attempts"))
                .put("max_attempts", r.intValue("max_attempts"))
                .put("enqueued_at", r.longValue("enqueued_at"))
                .put("receipt", r.string("receipt"))
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
    return db.read(conn -> conn.run(sql.get("next-due"), q.name(), since))
        .map(rows -> {
          Row r = rows.first();
          return new Waiters.Due(r.optLong("next_run_at"), !r.bool("has_jobs"));
        });
  }

  Future<Long> extend(QueueConfig q, long id, String receipt, long leaseMs) {
    long visibleAt = clock.now() + leaseMs;
    return db.write(conn -> conn.run(sql.get("extend"), id, q.name(), receipt, visibleAt)
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(visibleAt) : staleOrMissing(conn, q, id)));
  }

  /** Completes one job; with {@code lenient} a stale or missing job counts as not completed. */
  Future<Boolean> completeOne(Tx conn, QueueConfig q, long id, String receipt, boolean lenient) {
    Future<Void> ready = q.dedupe()
        ? hold(conn, q, id, receipt).compose(h -> h == null ? Future.succeededFuture() : lockKeys(conn, q, Arrays.asList(h.key())))
        : Future.succeededFuture();
    return ready
        .compose(v -> conn.run(sql.get("complete"), id, q.name(), receipt))
        .compose(rows -> {
          if (rows.size() == 0) {
            return lenient ? Future.succeededFuture(false) : staleOrMissing(conn, q, id).map(x -> false);
          }
          Row r = rows.first();
          byte[] key = r.bytes("dedupe_key");
          if (!q.dedupe() || key == null) return Future.succeededFuture(true);
          return recordDone(conn, q, r.string("name"), key, 1).map(true);
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
      return conn.run(sql.get("retry"), id, q.name(), receipt, runAt, error)
          .compose(rows -> rows.size() == 1
              ? conn.notifyAfterCommit(CHANNEL, q.name() + " " + runAt)
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
    return db.write(conn -> conn.run(sql.get("reap-select"), q.name(), now, REAP_BATCH)
        .compose(rows -> {
          List<Held> expired = new ArrayList<>();
          for (Row r : rows) expired.add(new Held(r.longValue("id"), null, 0, 0, r.string("name"), r.bytes("dedupe_key")));
          return expired.isEmpty() ? Future.succeededFuture() : deadLetter(conn, q, expired, "max_attempts", null, now);
        })
        .compose(v -> conn.run(sql.get("exhausted-next"), q.name()))
        .map(rows -> rows.first().optLong("next_run_at")));
  }

  /** The oldest ready (claim order) or running (by id) jobs of a queue; reads only. */
  Future<JsonArray> jobs(QueueConfig q, boolean running, int limit) {
    long now = clock.now();
    return db.read(conn -> conn.run(sql.get(running ? "jobs-running" : "jobs-ready"), q.name(), now, limit))
        .map(rows -> {
          JsonArray jobs = new JsonArray();
          for (Row r : rows) {
            jobs.add(new JsonObject().put("id", r.longValue("id")).put("name", r.string("name"))
                .put("attempts", r.intValue("attempts")).put("max_attempts", r.intValue("max_attempts"))
                .put("enqueued_at", r.longValue("enqueued_at")).put(running ? "lease_until" : "run_at", r.longValue("run_at"))
                .put("last_error", r.string("last_error")));
          }
          return jobs;
        });
  }

  Future<JsonObject> deadList(QueueConfig q, long afterId, int limit) {
    return db.read(conn -> conn.run(sql.get("dead-list"), q.name(), afterId, limit))
        .map(rows -> {
          JsonArray jobs = new JsonArray();
          Long last = null;
          for (Row r : rows) {
            last = r.longValue("id");
            JsonObject j = new JsonObject().put("id", last).put("job_id", r.longValue("job_id")).put("name", r.string("name"));
            putPayload(j, r);
            jobs.add(j.put("attempts", r.intValue("attempts")).put("reason", r.string("reason"))
                .put("error", r.string("error")).put("failed_at", r.longValue("failed_at")));
          }
          return new JsonObject().put("jobs", jobs).put("next_after_id", rows.size() == limit ? last : null);
        });
  }

  /** Moves dead jobs back to the queue as new jobs with fresh attempts; null ids means all. */
  Future<Integer> deadRequeue(QueueConfig q, JsonArray ids, AuditTrail.Entry audit) {
    long now = clock.now();
    String idsJson = ids == null ? null : ids.encode();
    return db.write(audit.around(conn -> conn.run(sql.get("dead-take"), q.name(), idsJson, ids == null ? 1_000_000 : ids.size())
        .compose(rows -> {
          List<Row> taken = new ArrayList<>();
          rows.forEach(taken::add);
          Future<Void> chain = q.dedupe()
              ? lockKeys(conn, q, taken.stream().map(r -> r.bytes("dedupe_key")).toList())
              : Future.succeededFuture();
          JsonArray takenIds = new JsonArray();
          for (Row r : taken) {
            takenIds.add(r.longValue("id"));
            byte[] key = r.bytes("dedupe_key");
            JobInput job = new JobInput(r.string("name"), r.bytes("payload"), r.longValue("is_json") == 1, 0, key);
            if (key != null) {
              chain = chain.compose(v -> conn.run(sql.get("done-forget"), q.name(), job.name(), key).mapEmpty());
            }
            chain = chain.compose(v -> insertOne(conn, q, job, now)).mapEmpty();
          }
          if (taken.isEmpty()) return Future.succeededFuture(0);
          return chain
              .compose(v -> conn.run(sql.get("dead-delete"), q.name(), takenIds.encode()))
              .compose(v -> conn.notifyAfterCommit(CHANNEL, q.name() + " " + now))
              .map(taken.size());
        })));
  }

  Future<Integer> deadPurge(QueueConfig q, JsonArray ids, AuditTrail.Entry audit) {
    return db.write(audit.around(conn -> conn.run(sql.get("dead-delete"), q.name(), ids == null ? null : ids.encode())
        .map(Rows::updated)));
  }

  /**
   * Counts per queue: ready, scheduled, running, dead and (flushed) done. One queue is counted
   * from its own rows only; several in one pass over each table.
   */
  Future<JsonObject> stats(List<QueueConfig> queues) {
    long now = clock.now();
    String one = queues.size() == 1 ? queues.get(0).name() : null;
    String suffix = one == null ? "" : "-queue";
    Object[] byQueue = one == null ? new Object[0] : new Object[] {one};
    return db.read(conn -> conn.run(sql.get("stats-live" + suffix), one == null ? new Object[] {now} : new Object[] {now, one})
        .compose(live -> conn.run(sql.get("stats-dead" + suffix), byQueue)
            .compose(dead -> conn.run(sql.get("stats-done" + suffix), byQueue)
                .map(done -> {
                  JsonObject out = new JsonObject();
                  for (QueueConfig q : queues) {
                    out.put(q.name(), new JsonObject().put("ready", 0L).put("scheduled", 0L).put("running", 0L)
                        .put("dead", 0L).put("done", 0L));
                  }
                  for (Row r : live) {
                    JsonObject s = out.getJsonObject(r.string("queue"));
                    if (s != null) {
                      s.put("ready", r.longValue("ready")).put("scheduled", r.longValue("scheduled"))
                          .put("running", r.longValue("running"));
                    }
                  }
                  for (Row r : dead) {
                    JsonObject s = out.getJsonObject(r.string("queue"));
                    if (s != null) s.put("dead", r.longValue("dead"));
                  }
                  for (Row r : done) {
                    JsonObject s = out.getJsonObject(r.string("queue"));
                    if (s != null) s.put("done", r.longValue("done"));
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
    return db.write(conn -> conn.run(sql.get("insert-many"), q.name(), now, q.maxAttempts(), items.encode())
        .compose(rows -> conn.notifyAfterCommit(CHANNEL, q.name() + " " + earliest).map(rows)))
        .map(rows -> {
          List<Long> ids = new ArrayList<>(rows.size());
          rows.forEach(r -> ids.add(r.longValue("id")));
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
    return db.write(conn -> conn.run(sql.get("complete-many"), q.name(), items.encode())
        .compose(rows -> {
          Map<Long, String> completed = new HashMap<>();
          rows.forEach(r -> completed.put(r.longValue("id"), r.string("receipt")));
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
    return db.write(conn -> conn.run(sql.get("counter-add"), queue, n).mapEmpty());
  }

  private Future<Held> hold(Tx conn, QueueConfig q, long id, String receipt) {
    return conn.run(sql.get("hold"), id, q.name(), receipt).map(rows -> {
      Row r = rows.first();
      if (r == null) return null;
      return new Held(id, receipt, r.intValue("attempts"), r.intValue("max_attempts"), r.string("name"), r.bytes("dedupe_key"));
    });
  }

  /** The job is gone (404) or held under another receipt (409); nothing was changed. */
  private <T> Future<T> staleOrMissing(Tx conn, QueueConfig q, long id) {
    return conn.run(sql.get("holder"), id, q.name()).compose(rows -> Future.failedFuture(
        rows.size() == 0
            ? BusException.notFound("job " + id + " is not in queue '" + q.name() + "'")
            : BusException.conflict("receipt of job " + id + " is not current (the job was claimed again)")));
  }

  private Future<Void> deadLetter(Tx conn, QueueConfig q, List<Held> jobs, String reason, String error, long now) {
    JsonArray ids = new JsonArray();
    jobs.forEach(h -> ids.add(h.id()));
    Future<Void> chain = q.dedupe() ? lockKeys(conn, q, jobs.stream().map(Held::key).toList()) : Future.succeededFuture();
    chain = chain
        .compose(v -> conn.run(sql.get("dead-insert"), ids.encode(), reason, error, now))
        .compose(v -> conn.run(sql.get("delete-ids"), ids.encode()))
        .mapEmpty();
    if (q.dedupe() && q.blockRepeatsOnDead()) {
      for (Held h : jobs) {
        if (h.key() != null) chain = chain.compose(v -> recordDone(conn, q, h.name(), h.key(), 2));
      }
    }
    return chain;
  }

  private Future<Void> recordDone(Tx conn, QueueConfig q, String name, byte[] key, int status) {
    return conn.run(sql.get("done-record"), q.name(), name, key, status, clock.now()).mapEmpty();
  }

  /**
   * Serializes work on dedupe keys across PostgreSQL instances (nothing to do on SQLite's single
   * writer), in a fixed order so that two transactions never wait on each other.
   */
  private Future<Void> lockKeys(Tx conn, QueueConfig q, List<byte[]> keys) {
    TreeSet<Long> locks = new TreeSet<>();
    long scope = q.name().hashCode();
    for (byte[] k : keys) {
      if (k != null) locks.add(ByteBuffer.wrap(k).getLong() ^ (scope << 32));
    }
    Future<Void> chain = Future.succeededFuture();
    for (long lock : locks) {
      chain = chain.compose(v -> conn.lock(lock));
    }
    return chain;
  }

  /** Puts the payload back as it came: {@code payload} for JSON, {@code payload_base64} for bytes. */
  private static void putPayload(JsonObject out, Row r) {
    byte[] payload = r.bytes("payload");
    if (r.longValue("is_json") == 1) {
      out.put("payload", Json.decodeValue(Buffer.buffer(payload)));
    } else {
      out.put("payload_base64", Base64.getEncoder().encodeToString(payload));
    }
  }
}
