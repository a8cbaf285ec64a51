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
 * read) of statements from {@code sql/queue.sql} and the dialect's own. A transaction that changes
 * jobs' states adds the changes to the queue's counters ({@link Counts}) before it commits.
 * Enqueues notify the store's "jobs" channel with "queue runAt" once they commit, so waiting
 * claims here and on other instances wake up.
 */
final class QueueEngine {
  static final String CHANNEL = "jobs";
  /** Jobs one due-time pass moves per kind of change; a pass that moved this many runs again. */
  static final int PASS_BATCH = 500;
  /**
   * A claim takes ready jobs first, then jobs whose due time has come but whose change to ready is
   * not written yet (a delay or a retry wait that ended, a lease that ran out), so that it never
   * waits for that write.
   */
  private static final List<String> CLAIM_ORDER = List.of(Counts.READY, Counts.SCHEDULED, Counts.RUNNING);

  private final Database db;
  private final Statements sql;
  private final Clock clock;
  private final Deliveries deliveries;
  private final QueueChanges changes;
  private final SearchFields fields;

  QueueEngine(Database db, Clock clock, QueueChanges changes) {
    this.db = db;
    this.sql = db.sql("queue");
    this.clock = clock;
    this.deliveries = new Deliveries(db.sql("jobviews"));
    this.changes = changes;
    this.fields = new SearchFields(db.sql("search"));
  }

  SearchFields fields() {
    return fields;
  }

  record Enqueued(Long id, boolean duplicate) {}

  /**
   * What one due-time pass found: whether a batch was full (more may be due), when the queue's
   * next scheduled job or lease end comes (null: none), whether it changed any job, and how many
   * jobs it dead-lettered.
   */
  record Pass(boolean more, Long next, boolean changed, int reaped) {}

  /** A live job as the fail and reap paths see it. */
  record Held(long id, int attempts, int maxAttempts, String name, byte[] key, String state) {}

  Future<List<Enqueued>> enqueue(QueueConfig q, List<JobInput> jobs) {
    long now = clock.now();
    return db.write(conn -> {
      Future<Void> locked = q.dedupe() ? lockKeys(conn, q, jobs.stream().map(j -> j.dedupeKey()).toList()) : Future.succeededFuture();
      List<Enqueued> out = new ArrayList<>(jobs.size());
      Counts counts = new Counts();
      Future<Void> chain = locked;
      for (JobInput job : jobs) {
        chain = chain.compose(v -> insertOne(conn, q, job, now, counts)).map(e -> {
          out.add(e);
          return null;
        });
      }
      long earliest = now + jobs.stream().mapToLong(JobInput::delayMs).min().orElse(0);
      return chain.compose(v -> Future.all(counts.write(conn, sql, q.name()), conn.notifyAfterCommit(CHANNEL, q.name() + " " + earliest)))
          .map(out);
    }).onSuccess(out -> {
      if (out.stream().anyMatch(e -> !e.duplicate())) changes.changed(q.name());
    });
  }

  private Future<Enqueued> insertOne(Tx conn, QueueConfig q, JobInput job, long now, Counts counts) {
    Future<Boolean> blocked = job.dedupeKey() == null
        ? Future.succeededFuture(false)
        : conn.run(sql.get("done-check"), q.name(), job.name(), job.dedupeKey(), q.blockRepeatsOnDead() ? 2 : 1)
            .map(rows -> rows.size() > 0);
    return blocked.compose(skip -> {
      if (skip) return Future.succeededFuture(new Enqueued(null, true));
      String state = job.delayMs() > 0 ? Counts.SCHEDULED : Counts.READY;
      return conn.run(sql.get("insert"), q.name(), job.name(), job.payload(), job.json() ? 1 : 0,
              job.dedupeKey(), now, now + job.delayMs(), q.maxAttempts(), state)
          .compose(rows -> {
            if (rows.size() == 0) return Future.succeededFuture(new Enqueued(null, true));
            counts.add(state, 1);
            long id = rows.first().longValue("id");
            return fields.written(conn, q, List.of(id), List.of(job)).map(new Enqueued(id, false));
          });
    });
  }

  /** Claims up to {@code max} due jobs ({@link #CLAIM_ORDER}), oldest due first; each gets a new receipt. */
  Future<List<JsonObject>> claim(QueueConfig q, int max, long leaseMs) {
    long now = clock.now();
    long leaseEnd = now + leaseMs;
    return db.write(conn -> {
      // A pause of the queue waits for this claim, or this claim for it and then sees it (Pauses).
      // The claim statement goes out right behind the lock, not a round trip later.
      Future<Void> guard = conn.lockShared(Pauses.lockKey(q.name()));
      List<Row> taken = new ArrayList<>();
      Counts counts = new Counts();
      Future<Void> chain = Future.succeededFuture();
      for (String state : CLAIM_ORDER) {
        chain = chain.compose(v -> taken.size() >= max ? Future.succeededFuture()
            : take(conn, q, state, now, max - taken.size(), leaseEnd).map(rows -> {
              rows.forEach(taken::add);
              counts.move(state, Counts.RUNNING, rows.size());
              return null;
            }));
      }
      Future<Void> claimed = chain;
      return guard.compose(v -> claimed).compose(v -> counts.write(conn, sql, q.name())).map(v -> taken);
    }).map(taken -> {
      // Built here, on the store's context, rather than in the transaction: the writer's time is
      // the store's narrowest resource, and decoding payloads needs none of it.
      List<JsonObject> jobs = new ArrayList<>(taken.size());
      for (Row r : taken) jobs.add(claimed(r, leaseEnd));
      jobs.sort((a, b) -> Long.compare(a.getLong("id"), b.getLong("id")));
      return jobs;
    }).onSuccess(jobs -> {
      if (!jobs.isEmpty()) changes.changed(q.name());
    });
  }

  /**
   * Claims up to {@code n} jobs of one state. A running job whose lease ran out ended its delivery:
   * that is recorded first, and only the jobs recorded are claimed.
   */
  private Future<Rows> take(Tx conn, QueueConfig q, String state, long now, int n, long leaseEnd) {
    if (!state.equals(Counts.RUNNING)) return conn.run(sql.get("claim"), q.name(), now, n, leaseEnd, state);
    return deliveries.expired(conn, q.name(), now, n).compose(ids -> deliveries.claim(conn, ids, now, leaseEnd));
  }

  private static JsonObject claimed(Row r, long leaseEnd) {
    JsonObject j = new JsonObject()
        .put("id", r.longValue("id"))
        .put("name", r.string("name"));
    putPayload(j, r);
    return j.put("attempt", r.intValue("attempts"))
        .put("max_attempts", r.intValue("max_attempts"))
        .put("enqueued_at", r.longValue("enqueued_at"))
        .put("receipt", r.string("receipt"))
        .put("visible_at", leaseEnd);
  }

  /**
   * When the next job of the queue becomes due after {@code since} (a delay, a retry or a lease
   * ending), and whether the queue holds no job at all.
   */
  Future<Waiters.Due> nextDue(QueueConfig q, long since) {
    return db.read(conn -> conn.run(sql.get("next-due"), q.name(), since, since))
        .map(rows -> new Waiters.Due(next(rows.first()), !rows.first().bool("has_jobs")));
  }

  /** The earlier of a next-due row's two times, or null. */
  private static Long next(Row r) {
    Long scheduled = r.optLong("next_scheduled");
    Long running = r.optLong("next_running");
    if (scheduled == null) return running;
    return running == null ? scheduled : Long.valueOf(Math.min(scheduled, running));
  }

  /**
   * Makes the queue's jobs what time has made them: scheduled jobs whose run_at has come, and
   * leases that ran out before the last attempt, become ready; leases that ran out on the last
   * attempt are dead-lettered (reason max_attempts). At most {@link #PASS_BATCH} of each. Jobs
   * made ready are notified like enqueued ones, so that waiting claims of every instance look.
   */
  Future<Pass> pass(QueueConfig q) {
    long now = clock.now();
    return db.write(conn -> {
      Counts counts = new Counts();
      int[] moved = new int[3];
      return conn.run(sql.get("make-ready"), q.name(), now, PASS_BATCH, Counts.SCHEDULED)
          .compose(rows -> {
            moved[0] = rows.updated();
            counts.move(Counts.SCHEDULED, Counts.READY, moved[0]);
            // Each lease that ran out ended a delivery: recorded as it becomes ready.
            return deliveries.expired(conn, q.name(), now, PASS_BATCH).compose(ids -> deliveries.makeReady(conn, ids));
          })
          .compose(n -> {
            moved[1] = n;
            counts.move(Counts.RUNNING, Counts.READY, moved[1]);
            return conn.run(sql.get("reap-select"), q.name(), now, PASS_BATCH);
          })
          .compose(rows -> {
            List<Held> expired = new ArrayList<>();
            for (Row r : rows) expired.add(new Held(r.longValue("id"), 0, 0, r.string("name"), r.bytes("dedupe_key"), Counts.RUNNING));
            moved[2] = expired.size();
            return expired.isEmpty() ? Future.<Void>succeededFuture() : deadLetter(conn, q, expired, "max_attempts", null, now, counts);
          })
          .compose(v -> counts.write(conn, sql, q.name()))
          // Claims waiting here and on other instances look again.
          .compose(v -> moved[0] + moved[1] == 0 ? Future.<Void>succeededFuture()
              : conn.notifyAfterCommit(CHANNEL, q.name() + " " + now))
          // A last attempt's lease that ends now is reaped once it has ended: that is due next.
          .compose(v -> conn.run(sql.get("next-due"), q.name(), now, now - 1))
          .map(rows -> new Pass(moved[0] == PASS_BATCH || moved[1] == PASS_BATCH || moved[2] == PASS_BATCH, next(rows.first()),
              moved[0] + moved[1] + moved[2] > 0, moved[2]));
    }).onSuccess(p -> {
      if (p.changed()) changes.changed(q.name());
    });
  }

  /**
   * Moves the lease on to now + {@code leaseMs}: of a running job, or of one whose lease ran out
   * and that was made ready again but not claimed since (its receipt is still the current one).
   */
  Future<Long> extend(QueueConfig q, long id, String receipt, long leaseMs) {
    long visibleAt = clock.now() + leaseMs;
    return db.write(conn -> conn.run(sql.get("extend"), id, q.name(), receipt, visibleAt, Counts.RUNNING)
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(false)
            : conn.run(sql.get("extend"), id, q.name(), receipt, visibleAt, Counts.READY).compose(again -> again.size() == 1
                ? Future.all(new Counts().move(Counts.READY, Counts.RUNNING, 1).write(conn, sql, q.name()), deliveries.resumed(conn, id))
                    .map(true)
                : staleOrMissing(conn, q, id))))
        .map(countsChanged -> {
          if (countsChanged) changes.changed(q.name());
          return visibleAt;
        });
  }

  /** Completes one job; with {@code lenient} a stale or missing job counts as not completed. */
  private Future<Boolean> completeOne(Tx conn, QueueConfig q, long id, String receipt, boolean lenient, Counts counts) {
    Future<Void> ready = q.dedupe()
        ? hold(conn, q, id, receipt).compose(h -> h == null ? Future.<Void>succeededFuture() : lockKeys(conn, q, Arrays.asList(h.key())))
        : Future.succeededFuture();
    return ready
        .compose(v -> conn.run(sql.get("complete"), id, q.name(), receipt))
        .compose(rows -> {
          if (rows.size() == 0) {
            return lenient ? Future.succeededFuture(false) : staleOrMissing(conn, q, id).map(x -> false);
          }
          Row r = rows.first();
          counts.move(r.string("state"), Counts.DONE, 1);
          Future<Void> forgotten = (Deliveries.hadEnded(r) ? deliveries.forget(conn, new JsonArray().add(id)) : Future.<Void>succeededFuture())
              .compose(v -> fields.completed(conn, q, List.of(id)));
          byte[] key = r.bytes("dedupe_key");
          if (!q.dedupe() || key == null) return forgotten.map(true);
          return forgotten.compose(v -> recordDone(conn, q, r.string("name"), key, 1)).map(true);
        });
  }

  Future<Boolean> complete(QueueConfig q, long id, String receipt) {
    return db.write(conn -> {
      Counts counts = new Counts();
      return completeOne(conn, q, id, receipt, false, counts).compose(ok -> counts.write(conn, sql, q.name()).map(ok));
    }).onSuccess(ok -> changes.changed(q.name()));
  }

  /** Completes each item it still holds; returns the ids it could not (stale or gone). */
  Future<List<Long>> completeAll(QueueConfig q, List<Long> ids, List<String> receipts) {
    return db.write(conn -> {
      List<Long> stale = new ArrayList<>();
      Counts counts = new Counts();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < ids.size(); i++) {
        long id = ids.get(i);
        String receipt = receipts.get(i);
        chain = chain.compose(v -> completeOne(conn, q, id, receipt, true, counts)).map(ok -> {
          if (!ok) stale.add(id);
          return null;
        });
      }
      return chain.compose(v -> counts.write(conn, sql, q.name())).map(stale);
    }).onSuccess(stale -> {
      if (stale.size() < ids.size()) changes.changed(q.name());
    });
  }

  /** A failed attempt: retried after a backoff, or dead-lettered when permanent or the last. */
  Future<JsonObject> fail(QueueConfig q, long id, String receipt, String error, boolean permanent, Long retryInMs) {
    long now = clock.now();
    return db.write(conn -> hold(conn, q, id, receipt).compose(h -> {
      if (h == null) return staleOrMissing(conn, q, id);
      Counts counts = new Counts();
      if (permanent || h.attempts() >= h.maxAttempts()) {
        String reason = permanent ? "permanent_error" : "max_attempts";
        return deadLetter(conn, q, List.of(h), reason, error, now, counts)
            .compose(v -> counts.write(conn, sql, q.name()))
            .map(v -> new JsonObject().put("state", "dead"));
      }
      long runAt = now + (retryInMs != null ? retryInMs : Backoff.delayMs(q, h.attempts()));
      String next = runAt > now ? Counts.SCHEDULED : Counts.READY;
      return deliveries.failed(conn, id, now, error)
          .compose(v -> conn.run(sql.get("retry"), id, q.name(), receipt, runAt, error, next))
          .compose(rows -> rows.size() == 1
              ? Future.all(counts.move(h.state(), next, 1).write(conn, sql, q.name()), conn.notifyAfterCommit(CHANNEL, q.name() + " " + runAt))
                  .map(v -> new JsonObject().put("state", "scheduled").put("run_at", runAt))
              : staleOrMissing(conn, q, id));
    })).onSuccess(r -> changes.changed(q.name()));
  }

  /** The oldest ready (claim order) or running (by id) jobs of a queue; reads only. */
  Future<JsonArray> jobs(QueueConfig q, boolean running, int limit) {
    return db.read(conn -> conn.run(sql.get(running ? "jobs-running" : "jobs-ready"), q.name(), limit))
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
          return requeueTaken(conn, q, taken, now);
        }))).onSuccess(n -> {
          if (n > 0) changes.changed(q.name());
        });
  }

  /**
   * Requeues dead letters read in {@code conn} (id, name, payload, is_json, dedupe_key), counts
   * the change and notifies waiting claims; answers how many.
   */
  Future<Integer> requeueTaken(Tx conn, QueueConfig q, List<Row> taken, long now) {
    if (taken.isEmpty()) return Future.succeededFuture(0);
    Counts counts = new Counts();
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
      chain = chain.compose(v -> insertOne(conn, q, job, now, counts)).mapEmpty();
    }
    return chain
        .compose(v -> deliveries.forgetDead(conn, q.name(), takenIds.encode()))
        .compose(v -> fields.deadDeleted(conn, q, takenIds.encode()))
        .compose(v -> conn.run(sql.get("dead-delete"), q.name(), takenIds.encode()))
        .compose(deleted -> counts.add(Counts.DEAD, -deleted.updated()).write(conn, sql, q.name()))
        .compose(v -> conn.notifyAfterCommit(CHANNEL, q.name() + " " + now))
        .map(taken.size());
  }

  Future<Integer> deadPurge(QueueConfig q, JsonArray ids, AuditTrail.Entry audit) {
    String idsJson = ids == null ? null : ids.encode();
    return db.write(audit.around(conn -> purgeTaken(conn, q, idsJson)))
        .onSuccess(n -> {
          if (n > 0) changes.changed(q.name());
        });
  }

  /** Deletes the dead letters of {@code idsJson} (null: all of the queue's), with what they keep beside them. */
  Future<Integer> purgeTaken(Tx conn, QueueConfig q, String idsJson) {
    return deliveries.forgetDead(conn, q.name(), idsJson)
        .compose(v -> fields.deadDeleted(conn, q, idsJson))
        .compose(v -> idsJson == null ? conn.run(sql.get("dead-delete-all"), q.name()) : conn.run(sql.get("dead-delete"), q.name(), idsJson))
        .compose(rows -> new Counts().add(Counts.DEAD, -rows.updated()).write(conn, sql, q.name()).map(rows.updated()));
  }

  /** Tells watchers that a queue's counts changed, once the change committed. */
  void changed(QueueConfig q) {
    changes.changed(q.name());
  }

  /** Counts per queue (ready, scheduled, running, dead, done): the sums of its counter rows. */
  Future<JsonObject> stats(List<QueueConfig> queues) {
    boolean one = queues.size() == 1;
    return db.read(conn -> one ? conn.run(sql.get("stats-queue"), queues.get(0).name()) : conn.run(sql.get("stats")))
        .map(rows -> {
          JsonObject out = new JsonObject();
          for (QueueConfig q : queues) {
            out.put(q.name(), new JsonObject().put(Counts.READY, 0L).put(Counts.SCHEDULED, 0L).put(Counts.RUNNING, 0L)
                .put(Counts.DEAD, 0L).put(Counts.DONE, 0L));
          }
          for (Row r : rows) {
            JsonObject s = out.getJsonObject(r.string("queue"));
            if (s != null) s.put(r.string("state"), r.longValue("n"));
          }
          return out;
        });
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
    // Every job is inserted (or none): the counts are known before the insert, so the three
    // statements go out together (PostgreSQL pipelines them: one round trip, not three).
    Counts counts = new Counts();
    jobs.forEach(j -> counts.add(j.delayMs() > 0 ? Counts.SCHEDULED : Counts.READY, 1));
    return db.write(conn -> {
      Future<List<Long>> inserted = conn.run(sql.get("insert-many"), q.name(), now, q.maxAttempts(), items.encode())
          .map(rows -> {
            List<Long> ids = new ArrayList<>(rows.size());
            rows.forEach(r -> ids.add(r.longValue("id")));
            ids.sort(null);
            return ids;
          });
      Future<Void> withFields = inserted.compose(ids -> fields.written(conn, q, ids, jobs));
      return Future.all(withFields, counts.write(conn, sql, q.name()), conn.notifyAfterCommit(CHANNEL, q.name() + " " + earliest))
          .map(v -> inserted.result());
    })
        .onSuccess(ids -> changes.changed(q.name()))
        .map(ids -> {
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
          Counts counts = new Counts();
          JsonArray withDeliveries = new JsonArray();
          rows.forEach(r -> {
            completed.put(r.longValue("id"), r.string("receipt"));
            counts.move(r.string("state"), Counts.DONE, 1);
            if (Deliveries.hadEnded(r)) withDeliveries.add(r.longValue("id"));
          });
          List<BusException> out = new ArrayList<>(ids.size());
          Future<Void> chain = Future.all(counts.write(conn, sql, q.name()), deliveries.forget(conn, withDeliveries),
              fields.completed(conn, q, new ArrayList<>(completed.keySet()))).mapEmpty();
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
        })).onSuccess(out -> {
          if (out.stream().anyMatch(e -> e == null)) changes.changed(q.name());
        });
  }

  private Future<Held> hold(Tx conn, QueueConfig q, long id, String receipt) {
    return conn.run(sql.get("hold"), id, q.name(), receipt).map(rows -> {
      Row r = rows.first();
      if (r == null) return null;
      return new Held(id, r.intValue("attempts"), r.intValue("max_attempts"), r.string("name"), r.bytes("dedupe_key"),
          r.string("state"));
    });
  }

  /** The job is gone (404) or held under another receipt (409); nothing was changed. */
  private <T> Future<T> staleOrMissing(Tx conn, QueueConfig q, long id) {
    return conn.run(sql.get("holder"), id, q.name()).compose(rows -> Future.failedFuture(
        rows.size() == 0
            ? BusException.notFound("job " + id + " is not in queue '" + q.name() + "'")
            : BusException.conflict("receipt of job " + id + " is not current (the job was claimed again)")));
  }

  /** Moves live jobs to the dead letters with {@code reason}, counted in {@code counts}. */
  Future<Void> deadLetter(Tx conn, QueueConfig q, List<Held> jobs, String reason, String error, long now, Counts counts) {
    JsonArray ids = new JsonArray();
    jobs.forEach(h -> ids.add(h.id()));
    Future<Void> chain = q.dedupe() ? lockKeys(conn, q, jobs.stream().map(Held::key).toList()) : Future.succeededFuture();
    chain = chain
        .compose(v -> conn.run(sql.get("dead-insert"), ids.encode(), reason, error, now))
        .compose(v -> deliveries.deadLettered(conn, ids, now, error))
        .compose(v -> conn.run(sql.get("delete-ids"), ids.encode()))
        .compose(deleted -> {
          deleted.forEach(r -> counts.move(r.string("state"), Counts.DEAD, 1));
          return fields.deadLettered(conn, q, ids);
        });
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
  static void putPayload(JsonObject out, Row r) {
    byte[] payload = r.bytes("payload");
    if (r.longValue("is_json") == 1) {
      out.put("payload", Json.decodeValue(Buffer.buffer(payload)));
    } else {
      out.put("payload_base64", Base64.getEncoder().encodeToString(payload));
    }
  }
}
