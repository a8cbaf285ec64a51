package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.support.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * Chain messages (piri-scheduler.md 3.2, 3.3): the send pipeline (items 29-33), the per-address
 * lock and its expiry (D24), the status triggers (items 8, 9), stale pending messages (D10) and
 * message retention (D13).
 */
public abstract class PdpMessagesTestBase extends PdpTestBase {
  @Override
  protected JsonObject scheduler() {
    return super.scheduler().put("message_retention", "1s");
  }

  @Test
  void sendPipeline() throws Exception {
    startEngine();
    String session = openSession(60_000);
    JsonObject send = new JsonObject().put("from_address", FROM).put("to_address", TO).put("send_reason", "pdp-addroots")
        .put("unsigned_tx_base64", b64("unsigned")).put("unsigned_hash", hash(1));
    long task = pdp("msg-enqueue-send", send).getLong("task_id");
    // item 29: the row and the SendTransaction task together, send_task_id = task id
    JsonArray claimed = claim(session, "SendTransaction", 1, 5_000);
    assertEquals(task, claimed.getJsonObject(0).getLong("id"));
    JsonObject row = pdp("msg-get-send", new JsonObject().put("task_id", task));
    assertEquals(task, row.getLong("send_task_id"));
    assertEquals(b64("unsigned"), row.getString("unsigned_tx_base64"));
    assertNull(row.getValue("nonce"));
    assertNull(row.getValue("send_success"));

    // item 30 and D24: the lock is free, or ours; another task waits until it expires
    JsonObject lock = new JsonObject().put("from_address", FROM).put("task_id", task);
    assertTrue(pdp("msg-lock-acquire", lock).getBoolean("acquired"));
    assertTrue(pdp("msg-lock-acquire", lock).getBoolean("acquired"), "the holder refreshes it");
    JsonObject other = pdp("msg-lock-acquire", new JsonObject().put("from_address", FROM).put("task_id", 999_999));
    assertFalse(other.getBoolean("acquired"));
    assertEquals(task, other.getLong("held_by_task_id"));
    clock.advance(30);
    assertTrue(pdp("msg-lock-acquire", new JsonObject().put("from_address", FROM).put("task_id", 999_999).put("ttl_ms", 10))
        .getBoolean("acquired"), "D24: an expired lock is taken over");
    assertFalse(pdp("msg-lock-release", lock).getBoolean("released"), "no longer ours");
    assertTrue(pdp("msg-lock-release", new JsonObject().put("from_address", FROM).put("task_id", 999_999)).getBoolean("released"));

    // item 31: nonce = max(pending, highest successful + 1), stored with the signed tx before broadcast
    assertEquals(5, pdp("msg-next-nonce", new JsonObject().put("from_address", FROM).put("pending_nonce", 5)).getLong("nonce"));
    pdp("msg-record-signed", new JsonObject().put("task_id", task).put("nonce", 5).put("signed_tx_base64", b64("signed"))
        .put("signed_hash", hash(2)));
    // item 32: signing happens once; a retry re-broadcasts what is stored
    assertCode(409, callFails(S, "msg-record-signed", new JsonObject().put("task_id", task).put("nonce", 6)
        .put("signed_tx_base64", b64("other")).put("signed_hash", hash(3))), null);
    assertEquals(b64("signed"), pdp("msg-get-send", new JsonObject().put("task_id", task)).getString("signed_tx_base64"));
    // item 33: result recorded, '' error on success, task done even after a failed broadcast
    pdp("msg-record-send-result", new JsonObject().put("task_id", task).put("ok", false).put("error", "nonce too low"));
    pdp("msg-record-send-result", new JsonObject().put("task_id", task).put("ok", true));
    row = pdp("msg-get-send", new JsonObject().put("task_id", task));
    assertTrue(row.getBoolean("send_success"));
    assertEquals("", row.getString("send_error"));
    assertTrue(row.getLong("send_time") > 0);
    assertCode(409, callFails(S, "msg-record-send-result", new JsonObject().put("task_id", task).put("ok", false)
        .put("error", "late")), null);
    complete(task, session, "done", null);
    assertEquals(6, pdp("msg-next-nonce", new JsonObject().put("from_address", FROM).put("pending_nonce", 2)).getLong("nonce"));

    // D14: the same nonce cannot be used twice by one sender while the first stands
    long second = pdp("msg-enqueue-send", send.copy().put("unsigned_hash", hash(4))).getLong("task_id");
    assertCode(409, callFails(S, "msg-record-signed", new JsonObject().put("task_id", second).put("nonce", 5)
        .put("signed_tx_base64", b64("s2")).put("signed_hash", hash(5))), "nonce");
  }

  /** D14: a nonce has one successful send; a late success of another send with it is a 409 and changes nothing. */
  @Test
  void aSecondSuccessWithATakenNonceIsAConflict() throws Exception {
    startEngine();
    JsonObject send = new JsonObject().put("from_address", FROM).put("to_address", TO).put("send_reason", "r")
        .put("unsigned_tx_base64", b64("u"));
    long a = pdp("msg-enqueue-send", send.copy().put("unsigned_hash", hash(1))).getLong("task_id");
    long b = pdp("msg-enqueue-send", send.copy().put("unsigned_hash", hash(2))).getLong("task_id");
    pdp("msg-record-signed", new JsonObject().put("task_id", a).put("nonce", 0).put("signed_tx_base64", b64("sa")).put("signed_hash", hash(3)));
    pdp("msg-record-send-result", new JsonObject().put("task_id", a).put("ok", false).put("error", "timeout"));
    pdp("msg-record-signed", new JsonObject().put("task_id", b).put("nonce", 0).put("signed_tx_base64", b64("sb")).put("signed_hash", hash(4)));
    pdp("msg-record-send-result", new JsonObject().put("task_id", b).put("ok", true));
    assertCode(409, callFails(S, "msg-record-send-result", new JsonObject().put("task_id", a).put("ok", true)), "task_id");
    JsonObject row = pdp("msg-get-send", new JsonObject().put("task_id", a));
    assertFalse(row.getBoolean("send_success"));
    assertEquals("timeout", row.getString("send_error"));
    assertEquals(1, pdp("msg-next-nonce", new JsonObject().put("from_address", FROM).put("pending_nonce", 0)).getLong("nonce"));
  }

  @Test
  void waitsTriggersStaleMessagesAndRetention() throws Exception {
    startEngine();
    // items 35, 36: pending waits claimed by the watcher and listed in pages
    for (int i = 1; i <= 5; i++) pdp("msg-insert-wait", new JsonObject().put("signed_tx_hash", hash(100 + i)));
    assertCode(409, callFails(S, "msg-insert-wait", new JsonObject().put("signed_tx_hash", hash(101))), "signed_tx_hash");
    assertFalse(pdp("msg-insert-wait", new JsonObject().put("signed_tx_hash", hash(101)).put("ignore_conflict", true))
        .getBoolean("inserted"));
    assertEquals(5, pdp("msg-claim-pending", new JsonObject()).getInteger("claimed"));
    JsonObject page = pdp("msg-list-pending", new JsonObject().put("limit", 3));
    assertEquals(3, page.getJsonArray("messages").size());
    page = pdp("msg-list-pending", new JsonObject().put("limit", 3).put("after_hash", page.getString("next_after_hash")));
    assertEquals(2, page.getJsonArray("messages").size());
    assertNull(page.getValue("next_after_hash"));

    // items 8, 9: the triggers act only on pending -> confirmed
    pdp("ps-record-create", new JsonObject().put("create_message_hash", hash(1)));
    confirm(hash(1), false, null);
    JsonObject wait = pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(1)));
    assertEquals("confirmed", wait.getString("tx_status"));
    assertFalse(wait.getBoolean("tx_success"));
    assertEquals(0, wait.getJsonObject("receipt").getInteger("status"));
    assertFalse(pdp("ps-status-by-create-hash", new JsonObject().put("create_message_hash", hash(1))).getBoolean("ok"));
    assertCode(409, callFails(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(1)).put("block_number", 1)
        .put("success", true)), null);
    assertFalse(pdp("ps-status-by-create-hash", new JsonObject().put("create_message_hash", hash(1))).getBoolean("ok"),
        "item 9: no second transition");

    // D10: a message never mined is failed after a while, and its adds stop being pending
    createProofSet(3, hash(2));
    recordAdd(3, hash(3), cid("s", 1), 0, null, 0);
    clock.advance(20);
    JsonArray failed = pdp("msg-fail-stale", new JsonObject().put("older_than_ms", 10).put("limit", 1000)).getJsonArray("failed");
    assertTrue(failed.contains(hash(3)), failed.encode());
    assertEquals("failed", pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(3))).getString("tx_status"));
    assertTrue(pdp("roots-find-pending", new JsonObject().put("proofset_id", 3).put("roots", new JsonArray().add(cid("s", 1))))
        .getJsonArray("roots").isEmpty());

    // D13: a confirmed wait nothing refers to is pruned (retention 1s here); referenced ones stay
    pdp("msg-insert-wait", new JsonObject().put("signed_tx_hash", hash(200)));
    confirm(hash(200), true, null);
    // Time passes, a second at a time: the retention, then the pruner's next pass.
    Eventually.until("the unreferenced confirmed wait is pruned", () -> {
      clock.advance(1_000);
      return callFailsOrNull("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(200))) != null;
    });
    pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(1))); // create rows still refer to it
    pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(2)));
  }

  private io.vertx.core.eventbus.ReplyException callFailsOrNull(String action, JsonObject body) throws Exception {
    try {
      call(S, action, body);
      return null;
    } catch (io.vertx.core.eventbus.ReplyException e) {
      assertEquals(404, e.failureCode());
      return e;
    }
  }
}
