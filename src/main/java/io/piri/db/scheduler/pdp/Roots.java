package io.piri.db.scheduler.pdp;

import io.piri.db.core.Clock;
import io.piri.db.backend.Row;
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
 * Roots of proof sets (piri-scheduler.md 3.8): pending adds, their promotion once the add message
 * confirmed, challenge reads, scheduled removals and repair.
 */
record Roots(Sql sql, Messages messages, ProofSets proofSets, Clock clock, Timeline timeline) {
  void register(ActionRouter r) {
    r.on("roots-find-completed", req -> find(req, "roots-find-completed"))
        .on("roots-find-pending", req -> find(req, "roots-find-pending"))
        .on("roots-subroot-info", this::subrootInfo)
        .on("roots-record-add", this::recordAdd)
        .on("roots-list-confirmed-groups", this::listConfirmedGroups)
        .on("roots-promote", this::promote)
        .on("roots-for-challenge", this::forChallenge)
        .on("roots-list", this::list)
        .on("roots-remove-scheduled", this::removeScheduled)
        .on("roots-repair", this::repair);
  }

  /** AddRoots' checks (item 46): roots already added, or pending (a failed add is neither, D10). */
  private Future<JsonObject> find(Request req, String statement) {
    req.only(Set.of("proofset_id", "roots"));
    long id = Fields.id(req, "proofset_id");
    List<String> roots = Fields.cids(req, "roots");
    return sql.read(c -> proofSets.load(c, id).compose(v -> sql.run(c, statement, id, new JsonArray(roots).encode())))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row r : rows) {
            JsonObject o = Replies.copy(r, new JsonObject(), "root", "add_message_hash");
            if (r.has("add_message_ok")) Replies.bools(r, o, "add_message_ok");
            out.add(o);
          }
          return new JsonObject().put("roots", out);
        });
  }

  private Future<JsonObject> subrootInfo(Request req) {
    req.only(Set.of("service", "piece_cids"));
    String service = Fields.service(req);
    List<String> cids = Fields.cids(req, "piece_cids");
    return sql.query("roots-subroot-info", service, new JsonArray(cids).encode()).map(rows -> {
      // with duplicates the last row per CID wins, as in Piri
      JsonObject byCid = new JsonObject();
      for (Row r : rows) {
        byCid.put(r.string("piece_cid"), Replies.copy(r, new JsonObject(), "piece_cid", "pdp_piece_ref_id", "piece_ref",
            "piece_padded_size", "piece_raw_size"));
      }
      return new JsonObject().put("subroots", byCid);
    });
  }

  private record AddRow(String root, String subroot, long offset, Long size, long index, Long ref) {}

  /**
   * AddRoots' transaction (3.8 step 7): the pending wait, S0 -> S1 (item 39) and one root_adds row
   * per subroot. Rows of an earlier failed add of the same root and offset are replaced (D10).
   */
  private Future<JsonObject> recordAdd(Request req) {
    req.only(Set.of("proofset_id", "add_message_hash", "rows"));
    long id = Fields.id(req, "proofset_id");
    String hash = Fields.hash(req, "add_message_hash");
    List<JsonObject> items = Fields.objects(req, "rows");
    List<AddRow> rows = new java.util.ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      rows.add(Fields.item(req, "rows", i, items.get(i), r -> {
        r.only(Set.of("root", "subroot", "subroot_offset", "subroot_size", "add_message_index", "pdp_piece_ref_id"));
        return new AddRow(Fields.cid(r, "root"), Fields.cid(r, "subroot"), r.longValue("subroot_offset", 0, Long.MAX_VALUE),
            r.has("subroot_size") ? r.longValue("subroot_size", 1, Long.MAX_VALUE) : null,
            r.longValue("add_message_index", 0, Integer.MAX_VALUE), Fields.optId(r, "pdp_piece_ref_id"));
      }));
    }
    return sql.write("field 'rows': a root with the same subroot_offset is already pending for proof set " + id
            + ", or message " + hash + " is already recorded",
        "field 'rows': unknown pdp_piece_ref_id",
        (c, touched) -> proofSets.load(c, id).compose(ps -> messages.insertWait(c, hash, false)
            .compose(v -> sql.run(c, "ps-mark-init-ready", id))
            .compose(ready -> {
              Future<Void> chain = Future.succeededFuture();
              for (AddRow r : rows) {
                chain = chain.compose(x -> sql.run(c, "root-adds-delete-failed", id, r.offset, r.root))
                    .compose(x -> sql.run(c, "root-add-insert", id, hash, r.offset, r.root, r.index, r.subroot, r.size, r.ref))
                    .mapEmpty();
              }
              return chain.compose(x -> timeline.record(c, touched, id, new Timeline.Event("roots_add",
                      rows.size() + " subroot row(s) pending under their add message", null, hash, null)))
                  .compose(x -> ps.bool("init_ready") || ready.updated() == 0 ? Future.succeededFuture()
                      : timeline.record(c, touched, id, Timeline.Event.of("init_ready", "first roots added: ready for its first proving period")));
            }))
            .map(v -> new JsonObject().put("recorded", rows.size())));
  }

  private Future<JsonObject> listConfirmedGroups(Request req) {
    req.only(Set.of("after_proofset_id", "after_hash", "limit"));
    long afterId = req.has("after_proofset_id") ? Fields.id(req, "after_proofset_id") : 0;
    String afterHash = req.has("after_hash") ? Fields.hash(req, "after_hash") : "";
    int limit = Fields.limit(req, 100);
    return sql.query("roots-confirmed-groups", afterId, afterHash, limit).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        JsonObject receipt = Replies.json(r, "tx_receipt");
        out.add(Replies.copy(r, new JsonObject(), "proofset_id", "add_message_hash").put("receipt", receipt)
            .put("repaired", receipt != null && receipt.containsKey(REPAIRED)));
      }
      JsonObject last = out.isEmpty() ? null : out.getJsonObject(out.size() - 1);
      return new JsonObject().put("groups", out)
          .put("next_after", out.size() == limit ? new JsonObject().put("after_proofset_id", last.getLong("proofset_id"))
              .put("after_hash", last.getString("add_message_hash")) : null);
    });
  }

  /**
   * The root-add watcher's transaction (item 45): the group's rows become roots with root_id =
   * piece_ids[add_message_index], and the group is deleted. Only a group whose message confirmed
   * with success; repeating after success is a 404 (the group is gone), harmless.
   */
  private Future<JsonObject> promote(Request req) {
    req.only(Set.of("proofset_id", "add_message_hash", "piece_ids"));
    long id = Fields.id(req, "proofset_id");
    String hash = Fields.hash(req, "add_message_hash");
    // The receipt's whole list may be given: it is indexed by add_message_index.
    List<Long> ids = req.ids("piece_ids", 100_000, 0, Long.MAX_VALUE);
    return sql.write(null, null, (c, touched) -> proofSets.load(c, id).compose(v -> sql.run(c, "root-adds-group", id, hash)).compose(rows -> {
      if (rows.size() == 0) throw BusException.notFound("no pending root adds of message " + hash + " in proof set " + id);
      Future<Void> chain = Future.succeededFuture();
      for (Row r : rows) {
        if (!Boolean.TRUE.equals(r.optBool("add_message_ok"))) {
          throw BusException.conflict("message " + hash + " is not confirmed with success");
        }
        long index = r.longValue("add_message_index");
        if (index >= ids.size()) {
          throw BusException.invalid("field 'piece_ids': no piece id at add_message_index " + index + " (" + ids.size() + " given)");
        }
        long rootId = ids.get((int) index);
        chain = chain.compose(x -> insertRoot(c, r, rootId));
      }
      return chain.compose(v -> sql.run(c, "root-adds-delete-group", id, hash))
          .compose(del -> timeline.record(c, touched, id, new Timeline.Event("roots_added",
                  del.updated() + " pending subroot row(s) became roots", null, hash, null))
              .map(x -> new JsonObject().put("promoted", del.updated())));
    }));
  }

  private Future<Void> insertRoot(Tx c, Row r, long rootId) {
    return sql.run(c, "root-insert", r.longValue("proofset_id"), rootId, r.longValue("subroot_offset"),
        r.string("root"), r.string("add_message_hash"), r.optLong("add_message_index"), r.string("subroot"),
        r.optLong("subroot_size"), r.optLong("pdp_piece_ref_id")).mapEmpty();
  }

  private Future<JsonObject> forChallenge(Request req) {
    req.only(Set.of("proofset_id", "root_id"));
    long id = Fields.id(req, "proofset_id");
    long rootId = Fields.id(req, "root_id");
    return sql.read(c -> proofSets.load(c, id).compose(v -> sql.run(c, "roots-for-challenge", id, rootId))).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) out.add(Replies.copy(r, new JsonObject(), "root", "subroot", "subroot_offset", "subroot_size", "pdp_piece_ref_id"));
      return new JsonObject().put("subroots", out);
    });
  }

  private Future<JsonObject> list(Request req) {
    req.only(Set.of("proofset_id", "after_root_id", "after_subroot_offset", "limit"));
    long id = Fields.id(req, "proofset_id");
    Long afterRootId = req.optId("after_root_id", -1, Long.MAX_VALUE);
    long afterRoot = afterRootId == null ? -1 : afterRootId;
    long afterOffset = req.optLong("after_subroot_offset", -1, Long.MAX_VALUE, -1);
    int limit = Fields.limit(req, 100);
    return sql.read(c -> proofSets.load(c, id).compose(v -> sql.run(c, "roots-list", id, afterRoot, afterOffset, limit))).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(Replies.copy(r, new JsonObject(), "root_id", "subroot_offset", "root", "add_message_hash", "add_message_index",
            "subroot", "subroot_size", "pdp_piece_ref_id"));
      }
      JsonObject last = out.isEmpty() ? null : out.getJsonObject(out.size() - 1);
      return new JsonObject().put("roots", out).put("next_after", out.size() == limit ? new JsonObject()
          .put("after_root_id", last.getLong("root_id")).put("after_subroot_offset", last.getLong("subroot_offset")) : null);
    });
  }

  /**
   * The prove task's cleanup of roots the chain removed (3.6 step 5), fixed (D6): the roots go
   * first (the triggers count their piece refs down), then each parked piece ref that no root
   * uses any more is deleted: the one behind the pdp piece ref, never the pdp ref's own id.
   */
  private Future<JsonObject> removeScheduled(Request req) {
    req.only(Set.of("proofset_id", "root_ids"));
    long id = Fields.id(req, "proofset_id");
    List<Long> rootIds = Fields.ids(req, "root_ids");
    int[] removed = {0};
    JsonArray released = new JsonArray();
    return sql.write(null, null, (c, touched) -> proofSets.load(c, id).compose(v -> {
      Future<Void> chain = Future.succeededFuture();
      for (long rootId : rootIds) {
        chain = chain.compose(x -> sql.run(c, "roots-ref-ids", id, rootId)).compose(refs ->
            sql.run(c, "roots-delete", id, rootId).compose(del -> {
              removed[0] += del.updated();
              Future<Void> rel = Future.succeededFuture();
              for (Row ref : refs) {
                long refId = ref.longValue("pdp_piece_ref_id");
                rel = rel.compose(x -> sql.run(c, "piece-ref-release", refId)).map(rs -> {
                  for (Row r : rs) released.add(r.longValue("ref_id"));
                  return null;
                });
              }
              return rel;
            }));
      }
      return chain.compose(done -> removed[0] == 0 ? Future.succeededFuture() : timeline.record(c, touched, id, Timeline.Event.of(
              "roots_removed", removed[0] + " root row(s) of root ids " + rootIds + " removed, " + released.size() + " piece ref(s) released")))
          .map(done -> new JsonObject().put("removed", removed[0]).put("released_piece_refs", released));
    }));
  }

  static final String REPAIRED = "repaired";

  /**
   * Repair (3.8, item 48): each named root's pending adds become roots with the on-chain id, are
   * deleted, and their still-pending messages are confirmed. Unlike Piri (D21), the confirmation
   * carries a receipt that records the repair (when, which proof set, which roots got which id),
   * and the reply says what was done, including adds of the same messages left for the watcher.
   */
  private Future<JsonObject> repair(Request req) {
    req.only(Set.of("proofset_id", "roots"));
    long id = Fields.id(req, "proofset_id");
    List<JsonObject> items = Fields.objects(req, "roots");
    JsonObject rootIds = new JsonObject();
    for (int i = 0; i < items.size(); i++) {
      Fields.item(req, "roots", i, items.get(i), r -> {
        r.only(Set.of("root", "root_id"));
        return rootIds.put(Fields.cid(r, "root"), Fields.id(r, "root_id"));
      });
    }
    long now = clock.now();
    JsonObject report = new JsonObject().put("inserted", 0).put("deleted_adds", 0).put("confirmed_messages", new JsonArray());
    java.util.Set<String> hashes = new java.util.TreeSet<>();
    return sql.write(null, null, (c, touched) -> proofSets.load(c, id).compose(v -> {
      Future<Void> chain = Future.succeededFuture();
      for (String root : rootIds.fieldNames()) {
        long rootId = rootIds.getLong(root);
        chain = chain.compose(x -> sql.run(c, "root-adds-for-root", id, root)).compose(rows -> {
          Future<Void> ins = Future.succeededFuture();
          for (Row r : rows) {
            if (r.string("add_message_hash") != null) hashes.add(r.string("add_message_hash"));
            ins = ins.compose(x -> insertRoot(c, r, rootId)).map(x -> {
              report.put("inserted", report.getInteger("inserted") + 1);
              return null;
            });
          }
          return ins.compose(x -> sql.run(c, "root-adds-delete-root", id, root)).map(del -> {
            report.put("deleted_adds", report.getInteger("deleted_adds") + del.updated());
            return null;
          });
        });
      }
      return chain;
    }).compose(v -> {
      JsonObject receipt = new JsonObject().put(REPAIRED, new JsonObject().put("at", now).put("proofset_id", id).put("roots", rootIds));
      Future<Void> chain = Future.succeededFuture();
      JsonArray left = new JsonArray();
      for (String h : hashes) {
        chain = chain.compose(x -> sql.run(c, "wait-confirm-repaired", h, receipt.encode(), now)).compose(u -> {
          if (u.updated() == 1) report.getJsonArray("confirmed_messages").add(h);
          return sql.run(c, "root-adds-count-message", h);
        }).map(n -> {
          long rest = n.first().longValue("n");
          if (rest > 0) left.add(new JsonObject().put("add_message_hash", h).put("adds", rest));
          return null;
        });
      }
      return chain.map(x -> report.put("adds_left_for_watcher", left));
    }).compose(r -> r.getInteger("inserted") + r.getInteger("deleted_adds") == 0 ? Future.succeededFuture(r)
        : timeline.record(c, touched, id, Timeline.Event.of("roots_repaired", r.getInteger("inserted") + " root row(s) inserted, "
            + r.getInteger("deleted_adds") + " pending add(s) deleted, " + r.getJsonArray("confirmed_messages").size()
            + " message(s) confirmed as repaired")).map(r)));
  }

}
