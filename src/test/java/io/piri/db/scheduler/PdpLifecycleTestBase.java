package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * A proof set's whole life (piri-scheduler.md 3.4, 3.6, 3.8): create message confirmed → proof
 * set materialised → roots added and confirmed → init scheduled → challenge requested → prove
 * task → next period, with the state machine's guards checked at each step.
 */
public abstract class PdpLifecycleTestBase extends PdpTestBase {
  @Test
  void walksAProofSetThroughItsLife() throws Exception {
    startEngine();
    String session = openSession(60_000);
    long ref = park(cid("p", 1), 128);

    // create message recorded, not yet confirmed: nothing to materialise
    String create = hash(1);
    pdp("ps-record-create", new JsonObject().put("create_message_hash", create));
    assertTrue(pdp("ps-list-creates-ready", new JsonObject()).getJsonArray("creates").isEmpty());
    JsonObject status = pdp("ps-status-by-create-hash", new JsonObject().put("create_message_hash", create));
    assertEquals("pending", status.getString("tx_status"));
    assertNull(status.getBoolean("ok"));
    assertCode(409, callFails(S, "ps-materialize", new JsonObject().put("create_message_hash", create)
        .put("proofset_id", 7).put("proving_period", 2880).put("challenge_window", 20)), null);

    // confirmed with success: the trigger sets ok (item 8), the watcher materialises (item 38)
    confirm(create, true, new JsonObject().put("data_set_id", 7));
    JsonArray ready = pdp("ps-list-creates-ready", new JsonObject()).getJsonArray("creates");
    assertEquals(1, ready.size());
    assertEquals(7, ready.getJsonObject(0).getJsonObject("receipt").getInteger("data_set_id"));
    JsonObject materialize = new JsonObject().put("create_message_hash", create).put("proofset_id", 7)
        .put("proving_period", 2880).put("challenge_window", 20);
    JsonObject ps = pdp("ps-materialize", materialize);
    assertEquals(2880, ps.getLong("proving_period"));
    assertEquals(20, ps.getLong("challenge_window"));
    pdp("ps-materialize", materialize); // D11: a repeat is harmless
    assertTrue(pdp("ps-list-creates-ready", new JsonObject()).getJsonArray("creates").isEmpty());
    status = pdp("ps-status-by-create-hash", new JsonObject().put("create_message_hash", create));
    assertTrue(status.getBoolean("proofset_created"));
    assertEquals(7, status.getLong("proofset_id"));
    assertEquals("new", state(7));
    assertTrue(scheduled("ps-schedule-init", new JsonObject()).isEmpty(), "a new proof set is not ready for init");

    // roots added: S0 -> S1 in the same transaction (item 39)
    JsonObject info = pdp("roots-subroot-info", new JsonObject().put("piece_cids", new JsonArray().add(cid("p", 1))));
    assertEquals(ref, info.getJsonObject("subroots").getJsonObject(cid("p", 1)).getLong("pdp_piece_ref_id"));
    String add = hash(2);
    String root = cid("p", 1);
    recordAdd(7, add, root, 0, ref, 0);
    assertEquals("init_ready", state(7));
    JsonArray pending = pdp("roots-find-pending", new JsonObject().put("proofset_id", 7).put("roots", new JsonArray().add(root)))
        .getJsonArray("roots");
    assertEquals(add, pending.getJsonObject(0).getString("add_message_hash"));

    // add message confirmed: the group is promoted with the receipt's piece id (item 45)
    confirm(add, true, new JsonObject().put("piece_ids", new JsonArray().add(42)));
    JsonArray groups = pdp("roots-list-confirmed-groups", new JsonObject()).getJsonArray("groups");
    assertEquals(1, groups.size());
    promote(7, add, 42);
    assertTrue(pdp("roots-list-confirmed-groups", new JsonObject()).getJsonArray("groups").isEmpty());
    JsonArray done = pdp("roots-find-completed", new JsonObject().put("proofset_id", 7).put("roots", new JsonArray().add(root)))
        .getJsonArray("roots");
    assertEquals(add, done.getJsonObject(0).getString("add_message_hash"));
    assertEquals(1, refcount(ref), "item 7: a root counts its piece ref");
    assertEquals(root, pdp("roots-for-challenge", new JsonObject().put("proofset_id", 7).put("root_id", 42))
        .getJsonArray("subroots").getJsonObject(0).getString("subroot"));

    // init scheduled, once (item 40)
    long init = onlyTask(scheduled("ps-schedule-init", new JsonObject()), 7);
    assertEquals("init_scheduled", state(7));
    assertTrue(scheduled("ps-schedule-init", new JsonObject()).isEmpty());
    assertCode(409, callFails(S, "ps-schedule-init", new JsonObject().put("proofset_id", 7)), null);
    assertCode(409, callFails(S, "ps-schedule-next", new JsonObject().put("proofset_id", 7).put("head_epoch", 1_000_000)), null);

    // the init task runs: its proof set, its nextProvingPeriod message, the challenge record (item 42)
    JsonArray claimed = claim(session, "PDPInitPP", 10, 5_000);
    assertEquals(init, claimed.getJsonObject(0).getLong("id"));
    JsonObject lookup = pdp("ps-task-proof-set", new JsonObject().put("task_id", init));
    assertTrue(lookup.getBoolean("found"));
    assertEquals(7, lookup.getLong("proofset_id"));
    String challenge = hash(3);
    JsonObject record = new JsonObject().put("proofset_id", 7).put("task_id", init).put("signed_tx_hash", challenge)
        .put("head_epoch", 1000).put("prove_at_epoch", 1010);
    assertCode(409, callFails(S, "ps-record-challenge-request", record.copy().put("task_id", init + 1000)), null);
    pdp("ps-record-challenge-request", record);
    pdp("ps-record-challenge-request", record); // the wait insert is idempotent
    assertEquals("pending", pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", challenge)).getString("tx_status"));
    complete(init, session, "done", null);
    ps = proofSet(7);
    assertNull(ps.getValue("challenge_request_task_id"), "item 5: deleting the task clears T");
    assertEquals(challenge, ps.getString("challenge_request_msg_hash"));
    assertEquals(1000, ps.getLong("prev_challenge_request_epoch"));
    assertEquals("challenge_requested", state(7));
    assertFalse(pdp("ps-task-proof-set", new JsonObject().put("task_id", init)).getBoolean("found"), "D4: orphaned = found false");

    // prove: only once the challenge message confirmed with success and P < head (item 44)
    assertTrue(scheduled("ps-schedule-prove", new JsonObject().put("head_epoch", 1011)).isEmpty());
    confirm(challenge, true, null);
    assertTrue(scheduled("ps-schedule-prove", new JsonObject().put("head_epoch", 1010)).isEmpty(), "P < head, strictly");
    long prove = onlyTask(scheduled("ps-schedule-prove", new JsonObject().put("head_epoch", 1011)), 7);
    assertTrue(scheduled("ps-schedule-prove", new JsonObject().put("head_epoch", 1012)).isEmpty(), "one prove task per challenge");
    JsonObject st = pdp("ps-state", new JsonObject().put("proofset_id", 7));
    assertEquals("proving", st.getString("state"));
    assertTrue(st.getBoolean("is_proving"), "item 50");
    assertEquals(7, pdp("ps-prove-task-proof-set", new JsonObject().put("task_id", prove)).getLong("proofset_id"));
    assertEquals(prove, claim(session, "PDPProve", 10, 5_000).getJsonObject(0).getLong("id"));
    complete(prove, session, "done", null);
    st = pdp("ps-state", new JsonObject().put("proofset_id", 7));
    assertEquals("idle", st.getString("state"), "item 5: the prove task row went with its task");
    assertFalse(st.getBoolean("is_proving"));

    // next period: exactly when T is NULL and P + W <= head (item 43)
    assertTrue(scheduled("ps-schedule-next", new JsonObject().put("head_epoch", 1029)).isEmpty());
    long next = onlyTask(scheduled("ps-schedule-next", new JsonObject().put("head_epoch", 1030)), 7);
    assertTrue(scheduled("ps-schedule-next", new JsonObject().put("head_epoch", 1031)).isEmpty());
    assertEquals("next_scheduled", state(7));
    assertTrue(pdp("ps-task-proof-set", new JsonObject().put("task_id", next).put("require_prove_at", true)).getBoolean("found"));
    claim(session, "PDPProvingPeriod", 10, 5_000);
    pdp("ps-record-challenge-request", new JsonObject().put("proofset_id", 7).put("task_id", next)
        .put("signed_tx_hash", hash(4)).put("head_epoch", 1031).put("prove_at_epoch", 3900));
    complete(next, session, "done", null);
    assertEquals("challenge_requested", state(7));
    assertEquals(3900, proofSet(7).getLong("prove_at_epoch"));
    JsonArray all = pdp("ps-list", new JsonObject().put("service", "storacha")).getJsonArray("proof_sets");
    assertEquals(1, all.size());
  }

  @Test
  void aFailedChallengeIsSupersededByTheNextPeriod() throws Exception {
    startEngine();
    String session = openSession(60_000);
    createProofSet(9, hash(10));
    recordAdd(9, hash(11), cid("r", 1), 0, null, 0);
    long init = onlyTask(scheduled("ps-schedule-init", new JsonObject().put("proofset_id", 9)), 9);
    claim(session, "PDPInitPP", 10, 5_000);
    pdp("ps-record-challenge-request", new JsonObject().put("proofset_id", 9).put("task_id", init)
        .put("signed_tx_hash", hash(12)).put("head_epoch", 100).put("prove_at_epoch", 110));
    complete(init, session, "done", null);
    confirm(hash(12), false, null);
    assertTrue(scheduled("ps-schedule-prove", new JsonObject().put("head_epoch", 200)).isEmpty(), "a failed challenge never proves");
    assertCode(409, callFails(S, "ps-schedule-prove", new JsonObject().put("proofset_id", 9).put("head_epoch", 200)), null);
    onlyTask(scheduled("ps-schedule-next", new JsonObject().put("head_epoch", 130)), 9);
    assertEquals("next_scheduled", state(9));
  }
}
