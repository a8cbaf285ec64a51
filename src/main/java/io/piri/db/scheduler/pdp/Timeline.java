package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Row;
import io.piri.db.backend.Tx;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.core.Clock;
import io.piri.db.scheduler.SchedulerChanges;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A proof set's history ({@code pdp_proofset_events}): every action that changes a proof set
 * writes its event in the same transaction, with the proving state the proof set is in after it
 * (docs/pdp-state.md, The timeline). {@code ps-timeline} reads it, oldest first.
 */
record Timeline(Sql sql, Clock clock) {
  /** An event: its kind, a line for people, and the task, message and epoch it concerns, where any. */
  record Event(String kind, String detail, Long taskId, String messageHash, Long epoch) {
    static Event of(String kind, String detail) {
      return new Event(kind, detail, null, null, null);
    }
  }

  void register(ActionRouter r) {
    r.on("ps-timeline", this::list);
  }

  /** Writes {@code e} for proof set {@code id} in {@code c}, and notes the proof set as changed. */
  Future<Void> record(Tx c, SchedulerChanges.Touched touched, long id, Event e) {
    touched.proofSet(id);
    return sql.run(c, "ps-range", id - 1, id, null, 1).compose(rows -> {
      String state = ProofSets.proofSet(rows.first()).getString("state");
      return sql.run(c, "event-insert", id, clock.now(), e.kind(), state, e.detail(), e.taskId(), e.messageHash(), e.epoch());
    }).mapEmpty();
  }

  private Future<JsonObject> list(Request req) {
    req.only(Set.of("proofset_id", "limit", "after"));
    long id = Fields.id(req, "proofset_id");
    int limit = Fields.limit(req, 100);
    long after = req.has("after") ? Fields.id(req, "after") : 0;
    return sql.read(c -> sql.run(c, "ps-range", id - 1, id, null, 1).compose(ps -> {
      if (ps.first() == null) throw BusException.notFound("no proof set " + id);
      return sql.run(c, "events-page", id, after, limit);
    })).map(rows -> {
      JsonArray out = new JsonArray();
      Long last = null;
      for (Row r : rows) {
        last = r.longValue("id");
        out.add(Replies.copy(r, new JsonObject(), "id", "at", "kind", "state", "detail", "task_id", "message_hash", "epoch"));
      }
      return new JsonObject().put("proofset_id", id).put("events", out).put("next", rows.size() == limit ? last : null);
    });
  }
}
