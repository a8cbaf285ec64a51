package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Row;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Tx;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.scheduler.TaskCreator;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The proving state machine's transitions (piri-scheduler.md 3.6): the three adders, each one
 * transaction that creates its tasks together with the guarded update, and the lookups and
 * challenge record of the Init/Next/Prove tasks. Every transition is guarded by its state's full
 * predicate; a proof set named in the request that is not in the required state gets a 409.
 */
record ProvingSchedule(Sql sql, TaskCreator tasks, Messages messages, ProofSets proofSets, Timeline timeline) {
  static final String INIT_TASK = "PDPInitPP";
  static final String NEXT_TASK = "PDPProvingPeriod";
  static final String PROVE_TASK = "PDPProve";

  void register(ActionRouter r) {
    r.on("ps-schedule-init", this::scheduleInit)
        .on("ps-schedule-next", this::scheduleNext)
        .on("ps-schedule-prove", this::scheduleProve)
        .on("ps-task-proof-set", this::taskProofSet)
        .on("ps-record-challenge-request", this::recordChallengeRequest)
        .on("ps-prove-task-proof-set", this::proveTaskProofSet);
  }

  private record Candidate(long id, String hash) {}

  /** S1 -> S2: a PDPInitPP task per ready proof set, at most one per proof set (item 40). */
  private Future<JsonObject> scheduleInit(Request req) {
    req.only(Set.of("proofset_id", "limit"));
    Long only = Fields.optId(req, "proofset_id");
    int limit = Fields.limit(req, 100);
    return schedule(only, "init_ready", c -> sql.run(c, "init-candidates", only, limit), INIT_TASK,
        (c, cand, task) -> sql.run(c, "ps-set-init-task", cand.id, task).map(r -> r.updated() == 1),
        (cand, task) -> new Timeline.Event("init_scheduled", INIT_TASK + " task added", task, null, null));
  }

  /** S3/S4/S4' -> S5: a PDPProvingPeriod task once P + W <= head (item 43). */
  private Future<JsonObject> scheduleNext(Request req) {
    req.only(Set.of("head_epoch", "proofset_id", "limit"));
    long head = Fields.epoch(req, "head_epoch");
    Long only = Fields.optId(req, "proofset_id");
    int limit = Fields.limit(req, 100);
    return schedule(only, "past its challenge window at epoch " + head, c -> sql.run(c, "next-candidates", head, only, limit),
        NEXT_TASK, (c, cand, task) -> sql.run(c, "ps-set-next-task", cand.id, task, head).map(r -> r.updated() == 1),
        (cand, task) -> new Timeline.Event("next_scheduled", NEXT_TASK + " task added at head epoch " + head, task, null, head));
  }

  /**
   * S3 -> S4: a PDPProve task once the challenge message confirmed with success and P < head;
   * clearing H with the task makes it one prove task per challenge (item 44).
   */
  private Future<JsonObject> scheduleProve(Request req) {
    req.only(Set.of("head_epoch", "proofset_id", "limit"));
    long head = Fields.epoch(req, "head_epoch");
    Long only = Fields.optId(req, "proofset_id");
    int limit = Fields.limit(req, 100);
    return schedule(only, "challenged with a confirmed message before epoch " + head,
        c -> sql.run(c, "prove-candidates", head, only, limit), PROVE_TASK,
        (c, cand, task) -> sql.run(c, "ps-clear-challenge", cand.id, cand.hash).compose(r -> r.updated() == 1
            ? sql.run(c, "prove-task-insert", cand.id, task).map(x -> x.updated() == 1)
            : Future.succeededFuture(false)),
        (cand, task) -> new Timeline.Event("proving", PROVE_TASK + " task added at head epoch " + head, task, cand.hash, head));
  }

  private interface Guard {
    Future<Boolean> apply(Tx c, Candidate cand, long task);
  }

  /**
   * One transaction: a task per candidate, kept only where the guarded update took (a concurrent
   * adder on PostgreSQL may have won; its task is then deleted again, like Piri's rollback), and
   * the proof set's timeline event of each task kept.
   */
  private Future<JsonObject> schedule(Long only, String required, java.util.function.Function<Tx, Future<Rows>> select,
                                      String type, Guard guard, java.util.function.BiFunction<Candidate, Long, Timeline.Event> event) {
    return sql.write(null, null, (c, touched) -> (only == null ? Future.succeededFuture() : proofSets.load(c, only))
        .compose(v -> select.apply(c))
        .compose(rows -> {
          List<Candidate> cands = new ArrayList<>();
          for (Row r : rows) cands.add(new Candidate(r.longValue("id"), hashOf(r)));
          if (only != null && cands.isEmpty()) {
            throw BusException.conflict("proof set " + only + " is not " + required + " (see ps-state)");
          }
          JsonArray scheduled = new JsonArray();
          Future<Void> chain = Future.succeededFuture();
          for (Candidate cand : cands) {
            chain = chain.compose(v -> tasks.add(c, type, "pdp").compose(task -> guard.apply(c, cand, task).compose(took -> {
              if (took) {
                scheduled.add(new JsonObject().put("proofset_id", cand.id).put("task_id", task));
                touched.tasks();
                return timeline.record(c, touched, cand.id, event.apply(cand, task));
              }
              return sql.run(c, "task-delete-unused", task).<Void>mapEmpty();
            })));
          }
          return chain.map(v -> new JsonObject().put("scheduled", scheduled));
        }));
  }

  private static String hashOf(Row r) {
    return r.has("challenge_request_msg_hash") ? r.string("challenge_request_msg_hash") : null;
  }

  /**
   * The proof set an Init/Next task works on. None (the task is orphaned) is an answer, not an
   * error: {@code found: false} tells the task to finish (D4).
   */
  private Future<JsonObject> taskProofSet(Request req) {
    req.only(Set.of("task_id", "require_prove_at"));
    long task = Fields.id(req, "task_id");
    boolean proveAt = req.optBool("require_prove_at", false);
    return sql.query(proveAt ? "ps-for-task-prove-at" : "ps-for-task", task).map(rows -> found(rows));
  }

  private Future<JsonObject> proveTaskProofSet(Request req) {
    req.only(Set.of("task_id"));
    long task = Fields.id(req, "task_id");
    return sql.first("prove-task-proof-set", task).map(r -> {
      return new JsonObject().put("found", r != null).put("proofset_id", r == null ? null : r.longValue("proofset_id"));
    });
  }

  private static JsonObject found(Rows rows) {
    Row r = rows.first();
    return new JsonObject().put("found", r != null).put("proofset_id", r == null ? null : r.longValue("id"));
  }

  /**
   * S2/S5 -> S3 (item 42): H, E and P, and the pending wait (idempotent), in one transaction. Only
   * the Init/Next task that holds the proof set may record it; anything else is a 409.
   */
  private Future<JsonObject> recordChallengeRequest(Request req) {
    req.only(Set.of("proofset_id", "task_id", "signed_tx_hash", "head_epoch", "prove_at_epoch"));
    long id = Fields.id(req, "proofset_id");
    long task = Fields.id(req, "task_id");
    String hash = Fields.hash(req, "signed_tx_hash");
    long head = Fields.epoch(req, "head_epoch");
    long proveAt = Fields.epoch(req, "prove_at_epoch");
    return sql.write(null, null, (c, touched) -> proofSets.load(c, id).compose(before -> {
      // A repeat (the same task recording the same challenge again) is no new event.
      boolean repeat = hash.equals(before.string("challenge_request_msg_hash"))
          && Long.valueOf(head).equals(before.optLong("prev_challenge_request_epoch"))
          && Long.valueOf(proveAt).equals(before.optLong("prove_at_epoch"));
      return sql.run(c, "ps-record-challenge", id, task, hash, head, proveAt)
          .compose(rows -> {
            if (rows.updated() != 1) {
              throw BusException.conflict("proof set " + id + " is not scheduled with task " + task + " (see ps-state)");
            }
            return messages.insertWait(c, hash, true);
          })
          .compose(v -> repeat ? Future.succeededFuture() : timeline.record(c, touched, id, new Timeline.Event("challenge_requested",
              "challenge requested at head epoch " + head + "; next challenge epoch " + proveAt, task, hash, proveAt)))
          .compose(v -> proofSets.load(c, id))
          .map(ProofSets::proofSet);
    }));
  }
}
