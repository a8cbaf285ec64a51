package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Roots and their piece refs (piri-scheduler.md 1.10, 3.8): reference counts (item 7), the
 * cascades of a removal (D6), a failed add made retryable (D10) and repair (item 48, D21).
 */
public abstract class PdpRootsTestBase extends PdpTestBase {
  @Test
  void referenceCountsAndScheduledRemoval() throws Exception {
    startEngine();
    createProofSet(1, hash(1));
    createProofSet(2, hash(2));
    long shared = park(cid("a", 1), 256);
    long single = park(cid("a", 2), 256);
    // the shared piece is a root of both proof sets; the other of proof set 1 only
    recordAdd(1, hash(10), cid("a", 1), 0, shared, 0);
    recordAdd(2, hash(11), cid("a", 1), 0, shared, 0);
    recordAdd(1, hash(12), cid("a", 2), 0, single, 0);
    assertEquals(0, refcount(shared), "pending adds do not count");
    for (long h : new long[] {10, 11, 12}) confirm(hash(h), true, null);
    promote(1, hash(10), 100);
    promote(2, hash(11), 200);
    promote(1, hash(12), 101);
    assertEquals(2, refcount(shared), "item 7: one per root");
    assertEquals(1, refcount(single));
    assertCode(404, callFails(S, "roots-promote", new JsonObject().put("proofset_id", 1).put("add_message_hash", hash(10))
        .put("piece_ids", new JsonArray().add(100))), null);

    // D6: removing roots counts down and releases the parked ref behind a pdp ref nobody uses
    JsonObject removed = pdp("roots-remove-scheduled", new JsonObject().put("proofset_id", 1).put("root_ids", new JsonArray().add(100).add(101)));
    assertEquals(2, removed.getInteger("removed"));
    assertEquals(1, removed.getJsonArray("released_piece_refs").size());
    assertEquals(1, refcount(shared), "still a root of proof set 2");
    assertCode(404, callFails(S, "piece-ref-get", new JsonObject().put("pdp_piece_ref_id", single)), null);
    JsonArray left = pdp("roots-list", new JsonObject().put("proofset_id", 2)).getJsonArray("roots");
    assertEquals(1, left.size());
    assertEquals(shared, left.getJsonObject(0).getLong("pdp_piece_ref_id"), "unrelated roots keep their piece ref");
    assertTrue(pdp("roots-list", new JsonObject().put("proofset_id", 1)).getJsonArray("roots").isEmpty());
    // the piece can be parked again afresh once released
    assertTrue(park(cid("a", 2), 256) != single);
  }

  @Test
  void failedAddIsRetryableAndRepairRecordsWhatItDid() throws Exception {
    startEngine();
    createProofSet(5, hash(1));
    String root = cid("b", 1);
    recordAdd(5, hash(20), root, 0, null, 0);
    // while pending, the same root and offset cannot be added again
    assertCode(409, callFails(S, "roots-record-add", new JsonObject().put("proofset_id", 5).put("add_message_hash", hash(21))
        .put("rows", new JsonArray().add(new JsonObject().put("root", root).put("subroot", root).put("subroot_offset", 0)
            .put("add_message_index", 0)))), "rows");
    // D10: once its message failed, the add is not pending any more and the root can be added again
    confirm(hash(20), false, null);
    assertTrue(pdp("roots-find-pending", new JsonObject().put("proofset_id", 5).put("roots", new JsonArray().add(root)))
        .getJsonArray("roots").isEmpty());
    recordAdd(5, hash(22), root, 0, null, 0);
    JsonArray pending = pdp("roots-find-pending", new JsonObject().put("proofset_id", 5).put("roots", new JsonArray().add(root)))
        .getJsonArray("roots");
    assertEquals(1, pending.size());
    assertEquals(hash(22), pending.getJsonObject(0).getString("add_message_hash"));

    // item 48 and D21: repair promotes the named roots with their on-chain ids, confirms the message
    // with a receipt that records the repair, and reports the message's other adds left for the watcher
    String other = cid("b", 2);
    pdp("roots-record-add", new JsonObject().put("proofset_id", 5).put("add_message_hash", hash(23)).put("rows", new JsonArray()
        .add(new JsonObject().put("root", cid("b", 3)).put("subroot", cid("b", 3)).put("subroot_offset", 0).put("add_message_index", 0))
        .add(new JsonObject().put("root", other).put("subroot", other).put("subroot_offset", 0).put("add_message_index", 1))));
    JsonObject report = pdp("roots-repair", new JsonObject().put("proofset_id", 5).put("roots", new JsonArray()
        .add(new JsonObject().put("root", root).put("root_id", 7))
        .add(new JsonObject().put("root", cid("b", 3)).put("root_id", 8))));
    assertEquals(2, report.getInteger("inserted"));
    assertEquals(2, report.getInteger("deleted_adds"));
    assertEquals(2, report.getJsonArray("confirmed_messages").size());
    assertEquals(hash(23), report.getJsonArray("adds_left_for_watcher").getJsonObject(0).getString("add_message_hash"));
    JsonObject wait = pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(22)));
    assertEquals("confirmed", wait.getString("tx_status"));
    assertTrue(wait.getBoolean("tx_success"));
    assertEquals(7, wait.getJsonObject("receipt").getJsonObject("repaired").getJsonObject("roots").getInteger(root));
    JsonArray groups = pdp("roots-list-confirmed-groups", new JsonObject()).getJsonArray("groups");
    assertEquals(1, groups.size());
    assertTrue(groups.getJsonObject(0).getBoolean("repaired"), "the watcher knows the receipt is a repair record");
    assertEquals(2, pdp("roots-list", new JsonObject().put("proofset_id", 5)).getJsonArray("roots").size());
    assertEquals(root, pdp("roots-find-completed", new JsonObject().put("proofset_id", 5).put("roots", new JsonArray().add(root)))
        .getJsonArray("roots").getJsonObject(0).getString("root"));
    // out-of-range index aborts a promotion and changes nothing
    assertCode(400, callFails(S, "roots-promote", new JsonObject().put("proofset_id", 5).put("add_message_hash", hash(23))
        .put("piece_ids", new JsonArray().add(1))), "piece_ids");
    assertEquals(1, pdp("roots-list-confirmed-groups", new JsonObject()).getJsonArray("groups").size());
    assertNull(proofSet(5).getValue("challenge_request_task_id"));
  }
}
