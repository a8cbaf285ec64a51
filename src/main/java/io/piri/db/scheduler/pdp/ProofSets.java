package io.piri.db.scheduler.pdp;

import io.piri.db.core.Clock;
import io.piri.db.backend.Row;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Tx;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Proof sets: creation (piri-scheduler.md 3.4) and reads, including {@code ps-state}, which names
 * the proving state (3.6) a proof set is in, and {@code ps-counts}, their roots and pending
 * messages. Scheduling is {@link ProvingSchedule}.
 */
record ProofSets(Sql sql, Messages messages, Clock clock, Timeline timeline) {
  void register(ActionRouter r) {
    r.on("ps-record-create", this::recordCreate)
        .on("ps-list-creates-ready", this::listCreatesReady)
        .on("ps-materialize", this::materialize)
        .on("ps-get", this::get)
        .on("ps-list", this::list)
        .on("ps-state", this::state)
        .on("ps-counts", this::counts)
        .on("ps-status-by-create-hash", this::statusByCreateHash);
  }

  /** The pending wait and the create row, in one transaction (3.4 step 1). */
  private Future<JsonObject> recordCreate(Request req) {
    req.only(Set.of("create_message_hash", "service"));
    String hash = Fields.hash(req, "create_message_hash");
    String service = Fields.service(req);
    return sql.write("field 'create_message_hash': " + hash + " is already recorded", null,
        c -> messages.insertWait(c, hash, false)
            .compose(v -> sql.run(c, "create-insert", hash, service, clock.now()))
            .map(v -> new JsonObject().put("create_message_hash", hash)));
  }

  private Future<JsonObject> listCreatesReady(Request req) {
    req.only(Set.of("after_hash", "limit"));
    String after = req.has("after_hash") ? Fields.hash(req, "after_hash") : "";
    int limit = Fields.limit(req, 100);
    return sql.query("creates-ready", after, limit).map(rows -> {
      JsonArray out = new JsonArray();
      String last = null;
      for (Row r : rows) {
        last = r.string("create_message_hash");
        out.add(Replies.copy(r, new JsonObject(), "create_message_hash", "service").put("receipt", Replies.json(r, "tx_receipt")));
      }
      return new JsonObject().put("creates", out).put("next_after_hash", out.size() == limit ? last : null);
    });
  }

  /**
   * The proof set of a confirmed create, and the create marked done, in one transaction (D11,
   * item 38). Repeating it with the same id is harmless; a create that is not confirmed with
   * success, or an id that belongs to another create, is a 409.
   */
  private Future<JsonObject> materialize(Request req) {
    req.only(Set.of("create_message_hash", "proofset_id", "proving_period", "challenge_window"));
    String hash = Fields.hash(req, "create_message_hash");
    long id = Fields.id(req, "proofset_id");
    long period = Fields.epochs(req, "proving_period");
    long window = Fields.epochs(req, "challenge_window");
    return sql.write(null, null, (c, touched) -> sql.run(c, "create-get", hash).compose(rows -> {
      Row cr = rows.first();
      if (cr == null) throw BusException.notFound("no proof-set create for create_message_hash " + hash);
      if (!Boolean.TRUE.equals(cr.optBool("ok"))) {
        throw BusException.conflict("create " + hash + " is not confirmed with success (ok=" + cr.optBool("ok") + ")");
      }
      String service = cr.string("service");
      return sql.run(c, "ps-insert", id, hash, service, period, window)
          .compose(ins -> ins.updated() == 0 ? Future.succeededFuture() : timeline.record(c, touched, id,
              new Timeline.Event("created", "proving period " + period + ", challenge window " + window, null, hash, null)))
          .compose(v -> byId(c, id))
          .compose(p -> {
            if (p == null) throw BusException.conflict("field 'create_message_hash': " + hash + " already made another proof set");
            if (!hash.equals(p.string("create_message_hash"))) {
              throw BusException.conflict("field 'proofset_id': proof set " + id + " belongs to another create message");
            }
            return sql.run(c, "create-mark-created", hash).map(v -> proofSet(p));
          });
    }));
  }

  private Future<JsonObject> get(Request req) {
    req.only(Set.of("proofset_id"));
    long id = Fields.id(req, "proofset_id");
    return sql.read(c -> load(c, id)).map(ProofSets::proofSet);
  }

  /** The row of proof set {@code id}, or a 404. */
  Future<Row> load(Tx c, long id) {
    return byId(c, id).map(r -> {
      if (r == null) throw BusException.notFound("no proof set " + id);
      return r;
    });
  }

  /** The row of proof set {@code id}, or null. */
  private Future<Row> byId(Tx c, long id) {
    return sql.run(c, "ps-range", id - 1, id, null, 1).map(Rows::first);
  }

  private Future<JsonObject> list(Request req) {
    req.only(Set.of("service", "after_id", "limit"));
    String service = req.has("service") ? Fields.service(req) : null;
    long after = req.has("after_id") ? Fields.id(req, "after_id") : 0;
    int limit = Fields.limit(req, 100);
    return sql.query("ps-range", after, Long.MAX_VALUE, service, limit).map(rows -> {
      JsonArray out = new JsonArray();
      Long last = null;
      for (Row r : rows) {
        out.add(proofSet(r));
        last = r.longValue("id");
      }
      return new JsonObject().put("proof_sets", out).put("next_after_id", out.size() == limit ? last : null);
    });
  }

  private Future<JsonObject> state(Request req) {
    req.only(Set.of("proofset_id"));
    long id = Fields.id(req, "proofset_id");
    return sql.read(c -> load(c, id)).map(r -> {
      JsonObject ps = proofSet(r);
      return new JsonObject().put("proofset_id", id).put("state", ps.getString("state"))
          .put("is_proving", ps.getLong("prove_tasks") > 0).put("proof_set", ps);
    });
  }

  /**
   * Roots (distinct root ids) and pending messages (pending root adds and the challenge while it
   * is pending) of up to 1000 proof sets, each counted through its own index range; ids of no
   * proof set are left out.
   */
  private Future<JsonObject> counts(Request req) {
    req.only(Set.of("proofset_ids"));
    List<Long> ids = Fields.ids(req, "proofset_ids");
    return sql.query("ps-counts", new JsonArray(ids).encode()).map(rows -> {
      JsonObject out = new JsonObject();
      for (Row r : rows) {
        out.put(String.valueOf(r.longValue("id")), new JsonObject().put("roots", r.longValue("roots"))
            .put("pending_messages", r.longValue("pending_messages")));
      }
      return new JsonObject().put("counts", out);
    });
  }

  /** GetProofSetStatus (3.4): the create, its message and, once created, the proof set id. */
  private Future<JsonObject> statusByCreateHash(Request req) {
    req.only(Set.of("create_message_hash", "service"));
    String hash = Fields.hash(req, "create_message_hash");
    String service = Fields.service(req);
    return sql.first("ps-status-by-create", hash).map(r -> {
      if (r == null || !service.equals(r.string("service"))) {
        throw BusException.notFound("no proof-set create " + hash + " for service '" + service + "'");
      }
      JsonObject out = Replies.copy(r, new JsonObject(), "create_message_hash", "service", "tx_status", "proofset_id");
      return Replies.bools(r, out, "ok", "proofset_created", "tx_success");
    });
  }

  /** A proof set as the actions return it, with its proving state. */
  static JsonObject proofSet(Row r) {
    JsonObject out = Replies.copy(r, new JsonObject(), "id", "prev_challenge_request_epoch", "challenge_request_task_id",
        "challenge_request_msg_hash", "proving_period", "challenge_window", "prove_at_epoch", "create_message_hash",
        "service", "challenge_request_task_name", "prove_tasks", "prove_task_id");
    Replies.bools(r, out, "init_ready");
    return out.put("state", ProvingState.of(out).wire);
  }
}
