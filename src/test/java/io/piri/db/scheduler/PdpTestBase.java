package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * Helpers of the PDP-state suites (docs/pdp-state.md): well-formed hashes, addresses and CIDs,
 * and the steps of a proof set's life as one-line calls.
 */
public abstract class PdpTestBase extends TaskEngineTestBase {
  private static final String B32 = "abcdefghijklmnopqrstuvwxyz234567";
  protected static final String FROM = "0x" + "Ab".repeat(20);
  protected static final String TO = "0x" + "cD".repeat(20);

  /** A distinct 0x-hex 32-byte hash per n. */
  protected static String hash(long n) {
    return String.format("0x%064x", n);
  }

  /** A distinct base32 CIDv1-shaped string per tag and n. */
  protected static String cid(String tag, long n) {
    StringBuilder s = new StringBuilder("baga6ea4seaq").append(tag);
    long v = n;
    for (int i = 0; i < 8; i++) {
      s.append(B32.charAt((int) (v & 31)));
      v >>>= 5;
    }
    return s.toString();
  }

  protected static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }

  protected JsonObject pdp(String action, JsonObject body) throws Exception {
    return call(S, action, body);
  }

  protected String state(long proofSet) throws Exception {
    return pdp("ps-state", new JsonObject().put("proofset_id", proofSet)).getString("state");
  }

  protected JsonObject proofSet(long id) throws Exception {
    return pdp("ps-get", new JsonObject().put("proofset_id", id));
  }

  /** Confirms a pending message as the watcher would. */
  protected void confirm(String hash, boolean success, JsonObject receipt) throws Exception {
    pdp("msg-confirm", new JsonObject().put("signed_tx_hash", hash).put("block_number", 100).put("success", success)
        .put("receipt", receipt == null ? new JsonObject().put("status", success ? 1 : 0) : receipt)
        .put("tx", new JsonObject().put("hash", hash)));
  }

  /** A parked piece with its refs; returns the pdp_piece_ref_id. */
  protected long park(String pieceCid, long padded) throws Exception {
    JsonObject r = pdp("piece-park", new JsonObject().put("piece_cid", pieceCid).put("piece_padded_size", padded)
        .put("piece_raw_size", padded - 1).put("data_url", "pdpstore://" + pieceCid));
    return r.getLong("pdp_piece_ref_id");
  }

  protected long refcount(long pdpPieceRef) throws Exception {
    return pdp("piece-ref-get", new JsonObject().put("pdp_piece_ref_id", pdpPieceRef)).getLong("proofset_refcount");
  }

  /** Create message recorded and confirmed, proof set materialised: returns the proof set id. */
  protected long createProofSet(long id, String createHash) throws Exception {
    pdp("ps-record-create", new JsonObject().put("create_message_hash", createHash));
    confirm(createHash, true, new JsonObject().put("data_set_id", id));
    pdp("ps-materialize", new JsonObject().put("create_message_hash", createHash).put("proofset_id", id)
        .put("proving_period", 2880).put("challenge_window", 20));
    return id;
  }

  /** One root of one subroot, pending under {@code addHash}. */
  protected void recordAdd(long ps, String addHash, String root, long offset, Long ref, int index) throws Exception {
    JsonObject row = new JsonObject().put("root", root).put("subroot", root).put("subroot_offset", offset)
        .put("subroot_size", 128).put("add_message_index", index);
    if (ref != null) row.put("pdp_piece_ref_id", ref);
    pdp("roots-record-add", new JsonObject().put("proofset_id", ps).put("add_message_hash", addHash)
        .put("rows", new JsonArray().add(row)));
  }

  protected void promote(long ps, String addHash, long... pieceIds) throws Exception {
    JsonArray ids = new JsonArray();
    for (long p : pieceIds) ids.add(p);
    pdp("roots-promote", new JsonObject().put("proofset_id", ps).put("add_message_hash", addHash).put("piece_ids", ids));
  }

  protected JsonArray scheduled(String action, JsonObject body) throws Exception {
    return pdp(action, body).getJsonArray("scheduled");
  }

  protected long onlyTask(JsonArray scheduled, long ps) {
    assertEquals(1, scheduled.size(), scheduled.encode());
    assertEquals(ps, scheduled.getJsonObject(0).getLong("proofset_id"));
    return scheduled.getJsonObject(0).getLong("task_id");
  }
}
