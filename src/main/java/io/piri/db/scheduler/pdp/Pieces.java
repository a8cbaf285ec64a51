package io.piri.db.scheduler.pdp;

import io.piri.db.core.Clock;
import io.piri.db.backend.Row;
import io.piri.db.backend.Tx;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * Pieces (piri-scheduler.md 3.7): uploads, the blob-multihash to piece-CID mapping, parked pieces
 * and their refs. The blob bytes themselves live in Piri's blob store, not here.
 */
record Pieces(Sql sql, Clock clock) {
  void register(ActionRouter r) {
    r.on("piece-allocate", this::allocate)
        .on("piece-get-upload", this::getUpload)
        .on("piece-complete-upload", this::completeUpload)
        .on("piece-commp-get", this::commpGet)
        .on("piece-commp-put", this::commpPut)
        .on("piece-park", this::park)
        .on("piece-ref-get", this::refGet)
        .on("piece-resolve-to-blob", this::resolveToBlob)
        .on("piece-resolve-to-piece", this::resolveToPiece);
  }

  private Future<JsonObject> allocate(Request req) {
    req.only(Set.of("id", "service", "check_hash_codec", "check_hash_base64", "check_size", "piece_cid", "notify_url"));
    String id = req.has("id") ? Fields.uuid(req, "id") : UUID.randomUUID().toString();
    String service = Fields.service(req);
    String codec = Fields.text(req, "check_hash_codec");
    byte[] hash = Fields.bytes(req, "check_hash_base64");
    long size = req.longValue("check_size", 0, Long.MAX_VALUE);
    String cid = req.has("piece_cid") ? Fields.cid(req, "piece_cid") : null;
    String notify = req.optString("notify_url") == null ? "" : req.optString("notify_url");
    return sql.write("field 'id': upload " + id + " exists", null, c -> sql.run(c, "upload-insert", id, service, codec,
        hash, size, cid, notify, clock.now())).map(v -> new JsonObject().put("id", id));
  }

  private Future<JsonObject> getUpload(Request req) {
    req.only(Set.of("id"));
    String id = Fields.uuid(req, "id");
    return sql.read(c -> upload(c, id)).map(r -> {
      JsonObject out = Replies.copy(r, new JsonObject(), "id", "service", "check_hash_codec", "check_size", "piece_cid",
          "notify_url", "notify_task_id", "piece_ref", "created_at");
      return out.put("check_hash_base64", Replies.base64(r, "check_hash"));
    });
  }

  private Future<Row> upload(Tx c, String id) {
    return sql.run(c, "upload-get", id).map(rows -> {
      Row r = rows.first();
      if (r == null) throw BusException.notFound("no piece upload " + id);
      return r;
    });
  }

  /**
   * UploadPiece's transaction (item 47): the upload row goes and, when the caller computed it, the
   * commp mapping is stored, together. The caller removes its stored blob if this fails.
   */
  private Future<JsonObject> completeUpload(Request req) {
    req.only(Set.of("id", "mhash_base64", "size", "commp"));
    String id = Fields.uuid(req, "id");
    byte[] mhash = Fields.optBytes(req, "mhash_base64");
    Long size = req.has("size") ? req.longValue("size", 0, Long.MAX_VALUE) : null;
    String commp = req.has("commp") ? Fields.cid(req, "commp") : null;
    if ((mhash == null) != (size == null) || (mhash == null) != (commp == null)) {
      String missing = mhash == null ? "mhash_base64" : size == null ? "size" : "commp";
      throw BusException.invalid("field '" + missing + "' is required: 'mhash_base64', 'size' and 'commp' go together");
    }
    return sql.write(null, null, c -> upload(c, id)
        .compose(v -> sql.run(c, "upload-delete", id))
        .compose(v -> mhash == null ? Future.succeededFuture(false)
            : sql.run(c, "commp-insert", mhash, size, commp).map(r -> r.updated() > 0))
        .map(mapped -> new JsonObject().put("deleted", true).put("mapped", mapped)));
  }

  private Future<JsonObject> commpGet(Request req) {
    req.only(Set.of("mhash_base64"));
    byte[] mhash = Fields.bytes(req, "mhash_base64");
    return sql.first("commp-get", mhash).map(Pieces::mapping);
  }

  private Future<JsonObject> commpPut(Request req) {
    req.only(Set.of("mhash_base64", "size", "commp"));
    byte[] mhash = Fields.bytes(req, "mhash_base64");
    long size = req.longValue("size", 0, Long.MAX_VALUE);
    String commp = Fields.cid(req, "commp");
    return sql.write(null, null, c -> sql.run(c, "commp-insert", mhash, size, commp))
        .map(r -> new JsonObject().put("inserted", r.updated() > 0));
  }

  private Future<JsonObject> resolveToBlob(Request req) {
    req.only(Set.of("commp"));
    String commp = Fields.cid(req, "commp");
    return sql.first("commp-by-commp", commp).map(Pieces::mapping);
  }

  /** Fixed (D15): the blob multihash is compared as bytes, so it matches what was stored. */
  private Future<JsonObject> resolveToPiece(Request req) {
    req.only(Set.of("mhash_base64"));
    byte[] mhash = Fields.bytes(req, "mhash_base64");
    return sql.first("commp-get", mhash).map(Pieces::mapping);
  }

  private static JsonObject mapping(Row r) {
    if (r == null) return new JsonObject().put("found", false);
    return new JsonObject().put("found", true).put("mhash_base64", Replies.base64(r, "mhash"))
        .put("size", r.longValue("size")).put("commp", r.string("commp"));
  }

  /**
   * ParkPiece (3.7) as an upsert (D14): one long-term parked piece per (piece_cid, padded size),
   * with a parked ref and pdp piece ref per service, as Piri gives each ParkPiece its own; a retry
   * for the same service finds and returns the same triple.
   */
  private Future<JsonObject> park(Request req) {
    req.only(Set.of("piece_cid", "piece_padded_size", "piece_raw_size", "data_url", "service"));
    String cid = Fields.cid(req, "piece_cid");
    long padded = req.longValue("piece_padded_size", 1, Long.MAX_VALUE);
    long raw = req.longValue("piece_raw_size", 0, padded);
    String url = Fields.text(req, "data_url");
    String service = Fields.service(req);
    long now = clock.now();
    return sql.write(null, null, c -> sql.run(c, "parked-piece-insert", now, cid, padded, raw).compose(ins -> {
      Row created = ins.first();
      if (created != null) return triple(c, created.longValue("id"), url, service, cid, now);
      return sql.run(c, "parked-piece-find", cid, padded, service).compose(found -> {
        Row f = found.first();
        Long ref = f.optLong("ref_id");
        return ref == null ? triple(c, f.longValue("piece_id"), url, service, cid, now)
            : Future.succeededFuture(new JsonObject().put("piece_id", f.longValue("piece_id")).put("ref_id", ref)
                .put("pdp_piece_ref_id", f.longValue("pdp_piece_ref_id")).put("duplicate", true));
      });
    }));
  }

  /** A new parked ref of the piece and the service's pdp piece ref on it. */
  private Future<JsonObject> triple(Tx c, long piece, String url, String service, String cid, long now) {
    return sql.run(c, "parked-ref-insert", piece, url).map(r -> r.first().longValue("ref_id"))
        .compose(refId -> sql.run(c, "pieceref-insert", service, cid, refId, now).map(r -> new JsonObject().put("piece_id", piece)
            .put("ref_id", refId).put("pdp_piece_ref_id", r.first().longValue("id")).put("duplicate", false)));
  }

  private Future<JsonObject> refGet(Request req) {
    req.only(Set.of("pdp_piece_ref_id"));
    long id = Fields.id(req, "pdp_piece_ref_id");
    return sql.first("pieceref-get", id).map(r -> {
      if (r == null) throw BusException.notFound("no pdp piece ref " + id);
      return Replies.copy(r, new JsonObject(), "id", "service", "piece_cid", "piece_ref", "created_at", "proofset_refcount", "piece_id");
    });
  }
}
