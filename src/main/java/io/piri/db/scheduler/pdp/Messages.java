package io.piri.db.scheduler.pdp;

import io.piri.db.core.Clock;
import io.piri.db.backend.Row;
import io.piri.db.backend.Tx;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.scheduler.SchedulerChanges;
import io.piri.db.scheduler.TaskCreator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Chain messages ({@code msg-*}, piri-scheduler.md 3.2-3.3, 4.2): the send pipeline's rows and
 * locks, and the waits the watcher confirms. The caller signs, broadcasts and reads the chain.
 */
record Messages(Sql sql, TaskCreator tasks, Clock clock, Timeline timeline) {
  static final String SEND_TASK = "SendTransaction";
  /** How long a send lock is held without a refresh before another task may take it (D24). */
  static final long DEFAULT_LOCK_TTL_MS = 5 * 60_000;

  void register(ActionRouter r) {
    r.on("msg-enqueue-send", this::enqueueSend)
        .on("msg-get-send", this::getSend)
        .on("msg-lock-acquire", this::lockAcquire)
        .on("msg-lock-release", this::lockRelease)
        .on("msg-next-nonce", this::nextNonce)
        .on("msg-record-signed", this::recordSigned)
        .on("msg-record-send-result", this::recordSendResult)
        .on("msg-insert-wait", this::insertWait)
        .on("msg-claim-pending", this::claimPending)
        .on("msg-list-pending", this::listPending)
        .on("msg-confirm", this::confirm)
        .on("msg-get-wait", this::getWait)
        .on("msg-fail-stale", this::failStale);
  }

  /** The SendTransaction task and its message_sends_eth row, in one transaction (item 29). */
  private Future<JsonObject> enqueueSend(Request req) {
    req.only(Set.of("from_address", "to_address", "send_reason", "unsigned_tx_base64", "unsigned_hash", "added_by"));
    String from = Fields.address(req, "from_address");
    String to = Fields.address(req, "to_address");
    String reason = Fields.text(req, "send_reason");
    byte[] tx = Fields.bytes(req, "unsigned_tx_base64");
    String hash = Fields.hash(req, "unsigned_hash");
    String by = Fields.optText(req, "added_by", "");
    return sql.write(null, null, (c, touched) -> tasks.add(c, SEND_TASK, by).compose(id -> {
      touched.tasks();
      return sql.run(c, "send-insert", id, from, to, reason, tx, hash).map(x -> new JsonObject().put("task_id", id));
    }));
  }

  private Future<JsonObject> getSend(Request req) {
    req.only(Set.of("task_id"));
    long id = Fields.id(req, "task_id");
    return sql.first("send-get", id).map(r -> {
      if (r == null) throw BusException.notFound("no message_sends_eth row for task_id " + id);
      JsonObject out = Replies.copy(r, new JsonObject(), "send_task_id", "from_address", "to_address", "send_reason",
          "unsigned_hash", "nonce", "signed_hash", "send_time", "send_error");
      out.put("unsigned_tx_base64", Replies.base64(r, "unsigned_tx")).put("signed_tx_base64", Replies.base64(r, "signed_tx"));
      return Replies.bools(r, out, "send_success");
    });
  }

  /**
   * Piri's per-address lock (item 30), with an expiry (D24): a lock not refreshed within
   * {@code ttl_ms} may be taken by another task. A holder refreshes it by acquiring again.
   */
  private Future<JsonObject> lockAcquire(Request req) {
    req.only(Set.of("from_address", "task_id", "ttl_ms"));
    String from = Fields.address(req, "from_address");
    long task = Fields.id(req, "task_id");
    long ttl = req.optLong("ttl_ms", 1, 24 * 3_600_000L, DEFAULT_LOCK_TTL_MS);
    long now = clock.now();
    return sql.write(null, null, c -> sql.run(c, "lock-acquire", from, task, now, now - ttl).compose(rows -> {
      if (rows.size() > 0) return Future.succeededFuture(new JsonObject().put("acquired", true).put("expires_at", now + ttl));
      return sql.run(c, "lock-get", from).map(held -> {
        Row h = held.first();
        JsonObject out = new JsonObject().put("acquired", false);
        if (h != null) out.put("held_by_task_id", h.longValue("task_id")).put("expires_at", h.longValue("claimed_at") + ttl);
        return out;
      });
    }));
  }

  private Future<JsonObject> lockRelease(Request req) {
    req.only(Set.of("from_address", "task_id"));
    String from = Fields.address(req, "from_address");
    long task = Fields.id(req, "task_id");
    return sql.write(null, null, c -> sql.run(c, "lock-release", from, task))
        .map(rows -> new JsonObject().put("released", rows.updated() > 0));
  }

  /** max(pending nonce, highest successful nonce + 1) (item 31). */
  private Future<JsonObject> nextNonce(Request req) {
    req.only(Set.of("from_address", "pending_nonce"));
    String from = Fields.address(req, "from_address");
    long pending = Fields.nonce(req, "pending_nonce");
    return sql.query("send-max-nonce", from).map(rows -> {
      Long max = rows.first().optLong("max_nonce");
      return new JsonObject().put("nonce", max == null ? pending : Math.max(pending, max + 1));
    });
  }

  /** Stores the nonce and signed transaction before the broadcast, once (items 31, 32). */
  private Future<JsonObject> recordSigned(Request req) {
    req.only(Set.of("task_id", "nonce", "signed_tx_base64", "signed_hash"));
    long id = Fields.id(req, "task_id");
    long nonce = Fields.nonce(req, "nonce");
    byte[] tx = Fields.bytes(req, "signed_tx_base64");
    String hash = Fields.hash(req, "signed_hash");
    return sql.write("field 'nonce': nonce " + nonce + " is already used by another send from this address", null,
        c -> sql.run(c, "send-record-signed", id, nonce, tx, hash).compose(rows -> rows.updated() == 1
            ? Future.succeededFuture(new JsonObject().put("recorded", true))
            : sql.run(c, "send-get", id).map(found -> {
              if (found.first() == null) throw BusException.notFound("no message_sends_eth row for task_id " + id);
              throw BusException.conflict("send " + id + " is already signed; re-broadcast its stored signed_tx");
            })));
  }

  /** send_success, send_error ('' on success) and send_time (item 33); a success stays a success. */
  private Future<JsonObject> recordSendResult(Request req) {
    req.only(Set.of("task_id", "ok", "error"));
    long id = Fields.id(req, "task_id");
    boolean ok = Fields.bool(req, "ok");
    String err = ok ? "" : req.optString("error") == null ? "" : req.optString("error");
    long now = clock.now();
    // D14: a success for a nonce that another send of the address already used with success breaks the one-nonce rule.
    return sql.write("field 'task_id': send " + id + " has the nonce of another successful send from its address", null,
        c -> sql.run(c, "send-record-result", id, ok, err, now).compose(rows -> rows.updated() == 1
            ? Future.succeededFuture(new JsonObject().put("send_time", now))
            : sql.run(c, "send-get", id).map(found -> {
              if (found.first() == null) throw BusException.notFound("no message_sends_eth row for task_id " + id);
              throw BusException.conflict("send " + id + " already succeeded");
            })));
  }

  private Future<JsonObject> insertWait(Request req) {
    req.only(Set.of("signed_tx_hash", "ignore_conflict"));
    String hash = Fields.hash(req, "signed_tx_hash");
    boolean ignore = req.optBool("ignore_conflict", false);
    return sql.write("field 'signed_tx_hash': a wait for " + hash + " exists", null,
            c -> insertWait(c, hash, ignore))
        .map(inserted -> new JsonObject().put("inserted", inserted));
  }

  /** A pending wait row ({@code confirmed_tx_hash} '' as Piri writes it); used by other groups too. */
  Future<Boolean> insertWait(Tx c, String hash, boolean ignoreConflict) {
    return sql.run(c, ignoreConflict ? "wait-insert-ignore" : "wait-insert", hash, clock.now())
        .map(rows -> rows.updated() > 0);
  }

  private Future<JsonObject> claimPending(Request req) {
    req.only(Set.of("machine_id"));
    long machine = req.has("machine_id") ? Fields.id(req, "machine_id") : 1;
    return sql.write(null, null, c -> sql.run(c, "wait-claim-pending", machine))
        .map(rows -> new JsonObject().put("claimed", rows.updated()));
  }

  private Future<JsonObject> listPending(Request req) {
    req.only(Set.of("machine_id", "after_hash", "limit"));
    long machine = req.has("machine_id") ? Fields.id(req, "machine_id") : 1;
    String after = req.has("after_hash") ? Fields.hash(req, "after_hash") : "";
    int limit = Fields.limit(req, Fields.MAX_LIMIT);
    return sql.query("wait-list-pending", machine, after, limit).map(rows -> {
      JsonArray out = new JsonArray();
      String last = null;
      for (Row r : rows) {
        last = r.string("signed_tx_hash");
        out.add(Replies.copy(r, new JsonObject(), "signed_tx_hash", "created_at"));
      }
      return new JsonObject().put("messages", out).put("next_after_hash", out.size() == limit ? last : null);
    });
  }

  /** One UPDATE naming tx_status, so the status triggers fire (items 8, 35); only a pending message. */
  private Future<JsonObject> confirm(Request req) {
    req.only(Set.of("signed_tx_hash", "block_number", "confirmed_tx_hash", "tx", "receipt", "success"));
    String hash = Fields.hash(req, "signed_tx_hash");
    long block = Fields.epoch(req, "block_number");
    String confirmed = Fields.optHash(req, "confirmed_tx_hash");
    String tx = Fields.optJson(req, "tx");
    String receipt = Fields.optJson(req, "receipt");
    boolean success = Fields.bool(req, "success");
    long now = clock.now();
    return sql.write(null, null, (c, touched) -> sql.run(c, "wait-confirm", hash, block, confirmed == null ? hash : confirmed, tx,
        receipt, success, now).compose(rows -> rows.updated() == 1
            ? concerned(c, touched, hash, success ? "message_confirmed" : "message_failed",
                role -> role + " message " + (success ? "confirmed" : "confirmed as failed") + " at block " + block, block)
                .map(v -> new JsonObject().put("confirmed_at", now))
            : notPending(c, hash)));
  }

  /** The timeline event of a message's outcome, in each proof set it concerns (as challenge or root add). */
  private Future<Void> concerned(Tx c, SchedulerChanges.Touched touched, String hash, String kind,
                                 java.util.function.Function<String, String> detail, Long block) {
    return sql.run(c, "ps-for-message", hash).compose(rows -> {
      Future<Void> chain = Future.succeededFuture();
      for (Row r : rows) {
        long ps = r.longValue("proofset_id");
        Timeline.Event e = new Timeline.Event(kind, detail.apply(r.string("role")), null, hash, block);
        chain = chain.compose(v -> timeline.record(c, touched, ps, e));
      }
      return chain;
    });
  }

  private Future<JsonObject> notPending(Tx c, String hash) {
    return sql.run(c, "wait-get", hash).map(rows -> {
      Row r = rows.first();
      if (r == null) throw BusException.notFound("no message_waits_eth row for signed_tx_hash " + hash);
      throw BusException.conflict("message " + hash + " is " + r.string("tx_status") + ", not pending");
    });
  }

  private Future<JsonObject> getWait(Request req) {
    req.only(Set.of("signed_tx_hash"));
    String hash = Fields.hash(req, "signed_tx_hash");
    return sql.first("wait-get", hash).map(r -> {
      if (r == null) throw BusException.notFound("no message_waits_eth row for signed_tx_hash " + hash);
      return wait(r);
    });
  }

  static JsonObject wait(Row r) {
    JsonObject out = Replies.copy(r, new JsonObject(), "signed_tx_hash", "waiter_machine_id", "confirmed_block_number",
        "confirmed_tx_hash", "tx_status", "created_at", "confirmed_at");
    out.put("tx", Replies.json(r, "confirmed_tx_data")).put("receipt", Replies.json(r, "tx_receipt"));
    return Replies.bools(r, out, "tx_success");
  }

  /**
   * Marks messages still pending after {@code older_than_ms} as failed (D10: never-mined messages
   * no longer wedge their roots); the status triggers mark their creates and root adds failed.
   */
  private Future<JsonObject> failStale(Request req) {
    req.only(Set.of("older_than_ms", "limit"));
    long age = req.longValue("older_than_ms", 1, Long.MAX_VALUE);
    int limit = Fields.limit(req, 100);
    long now = clock.now();
    return sql.write(null, null, (c, touched) -> sql.run(c, "wait-fail-stale", now, now - age, limit).compose(rows -> {
      JsonArray failed = new JsonArray();
      Future<Void> chain = Future.succeededFuture();
      for (Row r : rows) {
        String hash = r.string("signed_tx_hash");
        failed.add(hash);
        chain = chain.compose(v -> concerned(c, touched, hash, "message_failed",
            role -> role + " message not confirmed within " + age + " ms: failed", null));
      }
      return chain.map(v -> new JsonObject().put("failed", failed));
    }));
  }
}
