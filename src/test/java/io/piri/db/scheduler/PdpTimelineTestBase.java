package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A proof set's timeline ({@code ps-timeline}) and counts ({@code ps-counts}) through its life:
 * every change is an event with the proving state after it, the task, message and epoch it
 * concerns; the counts follow roots and pending messages.
 */
public abstract class PdpTimelineTestBase extends PdpTestBase {
  private List<JsonObject> timeline(long ps) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    Object after = null;
    do {
      JsonObject body = new JsonObject().put("proofset_id", ps).put("limit", 4);
      if (after != null) body.put("after", after);
      JsonObject page = pdp("ps-timeline", body);
      page.getJsonArray("events").forEach(o -> out.add((JsonObject) o));
      after = page.getValue("next");
    } while (after != null);
    return out;
  }

  private JsonObject counts(long... ids) throws Exception {
    JsonArray a = new JsonArray();
    for (long id : ids) a.add(id);
    return pdp("ps-counts", new JsonObject().put("proofset_ids", a)).getJsonObject("counts");
  }

  private void assertCounts(long ps, long roots, long pending) throws Exception {
    JsonObject c = counts(ps).getJsonObject(String.valueOf(ps));
    assertEquals(roots, c.getLong("roots"), "roots: " + c.encode());
    assertEquals(pending, c.getLong("pending_messages"), "pending messages: " + c.encode());
  }

  @Test
  void everyChangeOfAProofSetIsAnEventWithItsStateAfter() throws Exception {
    startEngine();
    String session = openSession(600_000);
    createProofSet(7, hash(1));
    assertCounts(7, 0, 0);
    String root = cid("t", 1);
    recordAdd(7, hash(2), root, 0, null, 0);
    recordAdd(7, hash(5), cid("t", 2), 128, null, 1);
    assertCounts(7, 0, 2);
    confirm(hash(2), true, new JsonObject().put("piece_ids", new JsonArray().add(42)));
    promote(7, hash(2), 42);
    clock.advance(60_000);
    pdp("msg-fail-stale", new JsonObject().put("older_than_ms", 30_000));
    assertCounts(7, 1, 0);

    long init = onlyTask(scheduled("ps-schedule-init", new JsonObject()), 7);
    claim(session, "PDPInitPP", 1, 0);
    JsonObject challenge = new JsonObject().put("proofset_id", 7).put("task_id", init).put("signed_tx_hash", hash(3))
        .put("head_epoch", 1000).put("prove_at_epoch", 1010);
    pdp("ps-record-challenge-request", challenge);
    pdp("ps-record-challenge-request", challenge);
    assertCounts(7, 1, 1);
    complete(init, session, "done", null);
    confirm(hash(3), true, null);
    assertCounts(7, 1, 0);
    long prove = onlyTask(scheduled("ps-schedule-prove", new JsonObject().put("head_epoch", 1011)), 7);
    claim(session, "PDPProve", 1, 0);
    complete(prove, session, "done", null);
    long next = onlyTask(scheduled("ps-schedule-next", new JsonObject().put("head_epoch", 1030)), 7);
    claim(session, "PDPProvingPeriod", 1, 0);
    complete(next, session, "failed", "no chain head");
    pdp("roots-remove-scheduled", new JsonObject().put("proofset_id", 7).put("root_ids", new JsonArray().add(42)));
    assertCounts(7, 0, 0);

    List<JsonObject> events = timeline(7);
    List<String> expected = List.of(
        "created new", "roots_add init_ready", "init_ready init_ready", "roots_add init_ready", "message_confirmed init_ready",
        "roots_added init_ready", "message_failed init_ready", "init_scheduled init_scheduled",
        "challenge_requested init_scheduled", "task_done challenge_requested", "message_confirmed challenge_requested",
        "proving proving", "proved idle", "next_scheduled next_scheduled", "task_failed next_scheduled", "roots_removed next_scheduled");
    assertEquals(expected, events.stream().map(e -> e.getString("kind") + " " + e.getString("state")).toList());
    JsonObject created = events.get(0);
    assertEquals(hash(1), created.getString("message_hash"));
    assertTrue(created.getString("detail").contains("2880"), created.encode());
    assertEquals(hash(2), events.get(1).getString("message_hash"));
    assertEquals(100, events.get(4).getLong("epoch"), "a confirmation's epoch is its block");
    assertEquals(hash(5), events.get(6).getString("message_hash"));
    assertEquals(init, events.get(7).getLong("task_id"));
    JsonObject requested = events.get(8);
    assertEquals(init, requested.getLong("task_id"));
    assertEquals(hash(3), requested.getString("message_hash"));
    assertEquals(1010, requested.getLong("epoch"), "the next challenge epoch");
    assertEquals(init, events.get(9).getLong("task_id"));
    assertEquals(hash(3), events.get(10).getString("message_hash"));
    assertEquals(prove, events.get(11).getLong("task_id"));
    assertEquals(hash(3), events.get(11).getString("message_hash"));
    assertEquals(prove, events.get(12).getLong("task_id"));
    assertEquals(next, events.get(13).getLong("task_id"));
    assertEquals(1030, events.get(13).getLong("epoch"));
    assertTrue(events.get(14).getString("detail").contains("no chain head"), events.get(14).encode());
    assertNull(events.get(15).getValue("task_id"));
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i).getLong("id") > events.get(i - 1).getLong("id"), "oldest first");
      assertTrue(events.get(i).getLong("at") >= events.get(i - 1).getLong("at"));
    }
    assertEquals(clock.now(), events.get(events.size() - 1).getLong("at"));
  }

  @Test
  void countsAndTimelineReadOnlyWhatTheyAreAskedAndRefuseBadInput() throws Exception {
    startEngine();
    createProofSet(7, hash(1));
    createProofSet(8, hash(2));
    recordAdd(8, hash(3), cid("c", 1), 0, null, 0);
    JsonObject c = pdp("ps-counts", new JsonObject().put("proofset_ids", new JsonArray().add("8").add(9).add(7))).getJsonObject("counts");
    assertEquals(2, c.size(), "an id of no proof set is left out: " + c.encode());
    assertEquals(1, c.getJsonObject("8").getLong("pending_messages"));
    assertEquals(0, c.getJsonObject("7").getLong("pending_messages"));
    assertEquals(0, pdp("ps-counts", new JsonObject().put("proofset_ids", new JsonArray())).getJsonObject("counts").size());
    JsonArray many = new JsonArray();
    for (int i = 0; i < 1001; i++) many.add(i);
    assertCode(400, callFails(S, "ps-counts", new JsonObject().put("proofset_ids", many)), "proofset_ids");
    assertCode(400, callFails(S, "ps-counts", new JsonObject().put("proofset_ids", new JsonArray().add(-1))), "proofset_ids[0]");
    assertCode(400, callFails(S, "ps-counts", new JsonObject()), "proofset_ids");

    assertEquals(1, pdp("ps-timeline", new JsonObject().put("proofset_id", 7)).getJsonArray("events").size(), "each its own");
    JsonObject first = pdp("ps-timeline", new JsonObject().put("proofset_id", 8).put("limit", 1));
    assertEquals("created", first.getJsonArray("events").getJsonObject(0).getString("kind"));
    JsonObject rest = pdp("ps-timeline", new JsonObject().put("proofset_id", 8).put("after", first.getValue("next")));
    assertEquals(List.of("roots_add", "init_ready"), rest.getJsonArray("events").stream()
        .map(o -> ((JsonObject) o).getString("kind")).toList());
    assertNull(rest.getValue("next"));
    assertCode(404, callFails(S, "ps-timeline", new JsonObject().put("proofset_id", 9)), null);
    assertCode(400, callFails(S, "ps-timeline", new JsonObject().put("proofset_id", 7).put("limit", 1001)), "limit");
    assertCode(400, callFails(S, "ps-timeline", new JsonObject().put("proofset_id", 7).put("after", "x")), "after");
    assertCode(400, callFails(S, "ps-timeline", new JsonObject()), "proofset_id");
  }
}
