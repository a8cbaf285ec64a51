package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;
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

  private JsonArray roots(long ps) throws Exception {
    return pdp("roots-list", new JsonObject().put("proofset_id", ps)).getJsonArray("roots");
  }

  /** Integers are exact and in range: a fraction or a number past 64 bits is refused, never cut to another root. */
  @Test
  void rootAndPieceIdsAreExactIntegers() throws Exception {
    startEngine();
    createProofSet(7, hash(1));
    recordAdd(7, hash(2), cid("r", 5), 0, null, 0);
    confirm(hash(2), true, null);
    JsonObject promote = new JsonObject().put("proofset_id", 7).put("add_message_hash", hash(2));
    for (Object bad : List.of(5.9, new BigInteger("18446744073709551621"), -5, "5.0", "\u0665")) {
      assertCode(400, callFails(S, "roots-promote", promote.copy().put("piece_ids", new JsonArray().add(bad))), "piece_ids[0]");
    }
    assertEquals(1, pdp("roots-list-confirmed-groups", new JsonObject()).getJsonArray("groups").size(), "the group is still pending");
    assertEquals(0, roots(7).size());
    promote(7, hash(2), 5);
    JsonObject remove = new JsonObject().put("proofset_id", 7);
    for (Object bad : List.of(5.5, new BigInteger("18446744073709551621"), -1, "+5", "5 ", 5e0)) {
      assertCode(400, callFails(S, "roots-remove-scheduled", remove.copy().put("root_ids", new JsonArray().add(bad))), "root_ids[0]");
    }
    assertCode(400, callFails(S, "roots-remove-scheduled", remove.copy().put("root_ids", new JsonArray().add(5).add(6.5))),
        "root_ids[1]");
    assertEquals(5, roots(7).getJsonObject(0).getLong("root_id"), "root 5 is still there");
    assertEquals(1, pdp("roots-remove-scheduled", remove.copy().put("root_ids", new JsonArray().add(5))).getInteger("removed"));
  }

  /** Every id field takes a JSON integer or a string of ASCII digits, and nothing else. */
  @Test
  void idsAreIntegersOrDecimalStrings() throws Exception {
    startEngine();
    createProofSet(7, hash(1));
    assertEquals(7, pdp("ps-get", new JsonObject().put("proofset_id", "7")).getLong("id"));
    assertEquals(7, pdp("ps-get", new JsonObject().put("proofset_id", "0007")).getLong("id"));
    assertEquals("new", pdp("ps-state", new JsonObject().put("proofset_id", "7")).getString("state"));
    assertEquals(7, pdp("ps-list", new JsonObject().put("after_id", "6")).getJsonArray("proof_sets").getJsonObject(0).getLong("id"));
    for (Object bad : List.of("+7", "7.0", " 7", "", "\u0667", "0x7", "9223372036854775808", 7.0, true)) {
      assertCode(400, callFails(S, "ps-get", new JsonObject().put("proofset_id", bad)), "proofset_id");
    }
    recordAdd(7, hash(2), cid("r", 1), 0, null, 0);
    confirm(hash(2), true, null);
    pdp("roots-promote", new JsonObject().put("proofset_id", "7").put("add_message_hash", hash(2)).put("piece_ids", new JsonArray().add("12")));
    assertEquals(12, roots(7).getJsonObject(0).getLong("root_id"));
    assertEquals(1, pdp("roots-for-challenge", new JsonObject().put("proofset_id", 7).put("root_id", "12")).getJsonArray("subroots").size());
  }

  /** The epochs, periods and windows are bounded, so the schedule's arithmetic cannot overflow. */
  @Test
  void epochFieldsAreBounded() throws Exception {
    startEngine();
    String session = openSession(60_000);
    long max = (1L << 53) - 1;
    pdp("ps-record-create", new JsonObject().put("create_message_hash", hash(1)));
    confirm(hash(1), true, null);
    JsonObject m = new JsonObject().put("create_message_hash", hash(1)).put("proofset_id", 1).put("proving_period", 2880);
    assertCode(400, callFails(S, "ps-materialize", m.copy().put("challenge_window", Long.MAX_VALUE)), "challenge_window");
    assertCode(400, callFails(S, "ps-materialize", m.copy().put("challenge_window", max + 1)), "challenge_window");
    assertCode(400, callFails(S, "ps-materialize", m.copy().put("challenge_window", 20).put("proving_period", max + 1)), "proving_period");
    assertCode(404, callFails(S, "ps-get", new JsonObject().put("proofset_id", 1)), null);
    // The largest values allowed: proof set 1 is due only after epoch 2^54, proof set 2 at 1030.
    pdp("ps-materialize", m.copy().put("proving_period", max).put("challenge_window", max));
    challenged(1, hash(2), hash(3), max, session);
    createProofSet(2, hash(4));
    challenged(2, hash(5), hash(6), 1010, session);
    JsonObject record = new JsonObject().put("proofset_id", 2).put("task_id", 1).put("signed_tx_hash", hash(7));
    assertCode(400, callFails(S, "ps-record-challenge-request", record.copy().put("head_epoch", 1).put("prove_at_epoch", max + 1)),
        "prove_at_epoch");
    assertCode(400, callFails(S, "ps-record-challenge-request", record.copy().put("head_epoch", -1).put("prove_at_epoch", 1)),
        "head_epoch");
    assertNoWait(hash(7));
    assertCode(400, callFails(S, "ps-schedule-next", new JsonObject().put("head_epoch", Long.MAX_VALUE)), "head_epoch");
    assertCode(400, callFails(S, "ps-schedule-prove", new JsonObject().put("head_epoch", max + 1)), "head_epoch");
    assertCode(400, callFails(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(7)).put("block_number", max + 1)
        .put("success", true)), "block_number");
    assertEquals("challenge_requested", state(2));
    onlyTask(scheduled("ps-schedule-next", new JsonObject().put("head_epoch", max)), 2);
    assertEquals("challenge_requested", state(1));
  }

  /** S0 -> S3: a root added, init scheduled and run, its challenge recorded with prove_at_epoch {@code proveAt}. */
  private void challenged(long ps, String add, String challenge, long proveAt, String session) throws Exception {
    recordAdd(ps, add, cid("e", ps), 0, null, 0);
    long init = onlyTask(scheduled("ps-schedule-init", new JsonObject().put("proofset_id", ps)), ps);
    assertEquals(init, claim(session, "PDPInitPP", 1, 5_000).getJsonObject(0).getLong("id"));
    pdp("ps-record-challenge-request", new JsonObject().put("proofset_id", ps).put("task_id", init).put("signed_tx_hash", challenge)
        .put("head_epoch", proveAt - 10).put("prove_at_epoch", proveAt));
    complete(init, session, "done", null);
    assertEquals("challenge_requested", state(ps));
  }

  @Test
  void noncesAreBoundedSoTheNextOneFits() throws Exception {
    startEngine();
    long max = (1L << 53) - 1;
    long task = pdp("msg-enqueue-send", new JsonObject().put("from_address", FROM).put("to_address", TO).put("send_reason", "r")
        .put("unsigned_tx_base64", b64("u")).put("unsigned_hash", hash(1))).getLong("task_id");
    JsonObject signed = new JsonObject().put("task_id", task).put("signed_tx_base64", b64("s")).put("signed_hash", hash(2));
    assertCode(400, callFails(S, "msg-record-signed", signed.copy().put("nonce", Long.MAX_VALUE)), "nonce");
    assertCode(400, callFails(S, "msg-record-signed", signed.copy().put("nonce", max + 1)), "nonce");
    assertCode(400, callFails(S, "msg-next-nonce", new JsonObject().put("from_address", FROM).put("pending_nonce", max + 1)),
        "pending_nonce");
    assertNull(pdp("msg-get-send", new JsonObject().put("task_id", task)).getValue("nonce"));
    pdp("msg-record-signed", signed.copy().put("nonce", max));
    pdp("msg-record-send-result", new JsonObject().put("task_id", task).put("ok", true));
    assertEquals(max + 1, pdp("msg-next-nonce", new JsonObject().put("from_address", FROM).put("pending_nonce", 0)).getLong("nonce"));
  }

  /** A rail id is a uint256 in decimal: ASCII digits only, read as a number, so each rail has one spelling. */
  @Test
  void railIdsAreAsciiDecimal() throws Exception {
    startEngine();
    String uint256Max = new BigInteger("2").pow(256).subtract(BigInteger.ONE).toString();
    for (Object bad : List.of("\u0661\u0662\u0663", "\uff11\uff12", "+12", "-12", "1.5", "", " 12", "1e3", "12\u0000",
        new BigInteger(uint256Max).add(BigInteger.ONE).toString(), 1.5, -12)) {
      assertCode(400, callFails(S, "pay-rail-wait-put", new JsonObject().put("rail_id", bad).put("signed_tx_hash", hash(1))), "rail_id");
    }
    assertNoWait(hash(1));
    pdp("pay-rail-wait-put", new JsonObject().put("rail_id", 12).put("signed_tx_hash", hash(2)));
    assertEquals("12", pdp("pay-rail-wait-get", new JsonObject().put("rail_id", "12")).getString("rail_id"));
    assertEquals(hash(2), pdp("pay-rail-wait-get", new JsonObject().put("rail_id", "0012")).getString("signed_tx_hash"));
    assertCode(404, callFails(S, "pay-rail-wait-get", new JsonObject().put("rail_id", "123")), null);
    pdp("pay-rail-wait-put", new JsonObject().put("rail_id", uint256Max).put("signed_tx_hash", hash(3)));
    assertEquals(uint256Max, pdp("pay-rail-wait-get", new JsonObject().put("rail_id", new BigInteger(uint256Max))).getString("rail_id"));
  }

  /** size and commp are checked whether or not mhash_base64 is given; the upload stays when they are refused. */
  @Test
  void completeUploadChecksEveryField() throws Exception {
    startEngine();
    String id = pdp("piece-allocate", new JsonObject().put("check_hash_codec", "c").put("check_hash_base64", b64("h"))
        .put("check_size", 1)).getString("id");
    assertCode(400, callFails(S, "piece-complete-upload", new JsonObject().put("id", id).put("size", "big")), "size");
    assertCode(400, callFails(S, "piece-complete-upload", new JsonObject().put("id", id).put("size", -1)), "size");
    assertCode(400, callFails(S, "piece-complete-upload", new JsonObject().put("id", id).put("commp", "not a cid")), "commp");
    assertCode(400, callFails(S, "piece-complete-upload", new JsonObject().put("id", id).put("size", 5).put("commp", cid("c", 1))),
        "mhash_base64");
    assertCode(400, callFails(S, "piece-complete-upload", new JsonObject().put("id", id).put("mhash_base64", b64("m")).put("size", 5)),
        "commp");
    assertEquals(id, pdp("piece-get-upload", new JsonObject().put("id", id)).getString("id"));
    assertTrue(pdp("piece-complete-upload", new JsonObject().put("id", id)).getBoolean("deleted"));
  }
}
