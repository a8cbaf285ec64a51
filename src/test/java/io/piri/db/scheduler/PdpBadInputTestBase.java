package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Bad input to the PDP actions: unknown proof sets and pieces (404), malformed hashes, CIDs,
 * addresses and base64 (400 naming the field), transitions the state machine forbids (409); and
 * each time nothing changes.
 */
public abstract class PdpBadInputTestBase extends PdpTestBase {
  private static JsonObject row(String root) {
    return new JsonObject().put("root", root).put("subroot", root).put("subroot_offset", 0).put("add_message_index", 0);
  }

  private void assertNoWait(String hash) throws Exception {
    assertCode(404, callFails(S, "msg-get-wait", new JsonObject().put("signed_tx_hash", hash)), null);
  }

  private void assertNoTasks(String type) throws Exception {
    JsonObject st = stats(type);
    assertEquals(0, st.getInteger("runnable") + st.getInteger("waiting") + st.getInteger("running"), "no " + type + " task: " + st);
  }

  @Test
  void unknownRowsAre404AndChangeNothing() throws Exception {
    startEngine();
    assertCode(404, callFails(S, "ps-get", new JsonObject().put("proofset_id", 77)), null);
    assertCode(404, callFails(S, "ps-state", new JsonObject().put("proofset_id", 77)), null);
    assertCode(404, callFails(S, "ps-schedule-init", new JsonObject().put("proofset_id", 77)), null);
    assertCode(404, callFails(S, "roots-record-add", new JsonObject().put("proofset_id", 77).put("add_message_hash", hash(1))
        .put("rows", new JsonArray().add(row(cid("x", 1))))), null);
    assertNoWait(hash(1));
    assertCode(404, callFails(S, "ps-materialize", new JsonObject().put("create_message_hash", hash(2)).put("proofset_id", 1)
        .put("proving_period", 10).put("challenge_window", 2)), null);
    assertCode(404, callFails(S, "piece-ref-get", new JsonObject().put("pdp_piece_ref_id", 5)), null);
    assertCode(404, callFails(S, "piece-get-upload", new JsonObject().put("id", "5b0c4a8e-1b52-4f3a-9a52-6b1a1b2c3d4e")), null);
    assertCode(404, callFails(S, "msg-get-send", new JsonObject().put("task_id", 5)), null);
    assertCode(404, callFails(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(3)).put("block_number", 1)
        .put("success", true)), null);
    assertCode(404, callFails(S, "roots-list", new JsonObject().put("proofset_id", 77)), null);

    // an unknown piece ref in an add: 404, and neither the wait nor init_ready are kept
    createProofSet(1, hash(4));
    assertCode(404, callFails(S, "roots-record-add", new JsonObject().put("proofset_id", 1).put("add_message_hash", hash(5))
        .put("rows", new JsonArray().add(row(cid("x", 2)).put("pdp_piece_ref_id", 999)))), "rows");
    assertNoWait(hash(5));
    assertEquals("new", state(1));
  }

  @Test
  void malformedFieldsAre400NamingTheField() throws Exception {
    startEngine();
    assertCode(400, callFails(S, "msg-insert-wait", new JsonObject().put("signed_tx_hash", "0x12")), "signed_tx_hash");
    assertCode(400, callFails(S, "ps-record-create", new JsonObject().put("create_message_hash", "not-a-hash")), "create_message_hash");
    JsonObject send = new JsonObject().put("from_address", FROM).put("to_address", TO).put("send_reason", "x")
        .put("unsigned_tx_base64", "***").put("unsigned_hash", hash(1));
    assertCode(400, callFails(S, "msg-enqueue-send", send), "unsigned_tx_base64");
    assertCode(400, callFails(S, "msg-enqueue-send", send.copy().put("unsigned_tx_base64", b64("t")).put("from_address", "0x1")),
        "from_address");
    assertNoTasks("SendTransaction");
    assertCode(400, callFails(S, "piece-resolve-to-piece", new JsonObject().put("mhash_base64", "%%")), "mhash_base64");
    assertCode(400, callFails(S, "piece-resolve-to-blob", new JsonObject().put("commp", "QmNotBase32")), "commp");
    assertCode(400, callFails(S, "piece-get-upload", new JsonObject().put("id", "nope")), "id");
    createProofSet(2, hash(2));
    JsonObject bad = new JsonObject().put("proofset_id", 2).put("add_message_hash", hash(3))
        .put("rows", new JsonArray().add(row(cid("y", 1))).add(row("bad cid")));
    assertCode(400, callFails(S, "roots-record-add", bad), "rows[1]");
    assertNoWait(hash(3));
    assertCode(400, callFails(S, "roots-find-pending", new JsonObject().put("proofset_id", 2).put("roots", new JsonArray().add(7))), "roots");
    assertCode(400, callFails(S, "ps-list", new JsonObject().put("limit", 1001)), "limit");
    assertCode(400, callFails(S, "ps-get", new JsonObject().put("proofset_id", 2).put("extra", 1)), "extra");
    assertCode(400, callFails(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(2)).put("block_number", 1)
        .put("success", true).put("receipt", "text")), "receipt");
    assertEquals("confirmed", pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(2))).getString("tx_status"),
        "the create message stays as createProofSet confirmed it");
  }

  @Test
  void forbiddenTransitionsAre409AndChangeNothing() throws Exception {
    startEngine();
    createProofSet(3, hash(1));
    // a different id for a create that already made a proof set
    assertCode(409, callFails(S, "ps-materialize", new JsonObject().put("create_message_hash", hash(1)).put("proofset_id", 4)
        .put("proving_period", 2880).put("challenge_window", 20)), null);
    assertCode(404, callFails(S, "ps-get", new JsonObject().put("proofset_id", 4)), null);
    // S0: neither init, nor next, nor prove, nor a challenge record
    assertCode(409, callFails(S, "ps-schedule-init", new JsonObject().put("proofset_id", 3)), null);
    assertCode(409, callFails(S, "ps-schedule-next", new JsonObject().put("proofset_id", 3).put("head_epoch", 99_999)), null);
    assertCode(409, callFails(S, "ps-schedule-prove", new JsonObject().put("proofset_id", 3).put("head_epoch", 99_999)), null);
    assertCode(409, callFails(S, "ps-record-challenge-request", new JsonObject().put("proofset_id", 3).put("task_id", 1)
        .put("signed_tx_hash", hash(9)).put("head_epoch", 1).put("prove_at_epoch", 2)), null);
    assertNoWait(hash(9));
    assertEquals("new", state(3));
    assertNoTasks("PDPInitPP");
    // a message confirmed once cannot be confirmed again
    assertCode(409, callFails(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(1)).put("block_number", 1)
        .put("success", false)), null);
    assertTrue(pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(1))).getBoolean("tx_success"));
  }
}
