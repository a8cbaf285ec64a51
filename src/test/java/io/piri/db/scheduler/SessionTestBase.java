package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piri.db.server.PiriServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Sessions: heartbeats keep tasks, expiry and close release them, a restart steals nothing (D1, D20). */
public abstract class SessionTestBase extends TaskEngineTestBase {

  @Test
  void openReturnsTheExpiryWithADefaultTtl() throws Exception {
    startEngine();
    JsonObject r = call(S, "session-open", new JsonObject().put("name", "pdp"));
    assertEquals(30_000, r.getLong("ttl_ms"));
    assertEquals(clock.now() + 30_000, r.getLong("expires_at"));
    clock.advance(1_000);
    JsonObject hb = call(S, "session-heartbeat", new JsonObject().put("session", r.getString("session")));
    assertEquals(clock.now() + 30_000, hb.getLong("expires_at"), "a heartbeat moves the expiry on");
  }

  @Test
  void expiredSessionLosesItsTasksToAWaitingClaimWithoutARestart() throws Exception {
    startEngine();
    long id = add("Quick");
    JsonObject opened = call(S, "session-open", new JsonObject().put("ttl_ms", 300));
    String dying = opened.getString("session");
    long expires = opened.getLong("expires_at");
    assertEquals(1, claim(dying, "Quick", 1, 0).size());
    String other = openSession(30_000);
    Future<JsonObject> waiting = waitingClaim(other, "Quick", 1, 10_000);
    clock.awaitTimerAt(expires + 1);
    clock.advanceTo(expires);
    assertFalse(waiting.isComplete(), "not before the ttl");
    clock.advance(1);
    JsonArray got = await(waiting).getJsonArray("tasks");
    assertEquals(1, got.size(), "released within the wait");
    assertEquals(id, got.getJsonObject(0).getLong("id"));
    assertCode(404, callFails(S, "session-heartbeat", new JsonObject().put("session", dying)), "session");
    assertCode(404, callFails(S, "task-complete", completeBody(id, dying, "done", null)), "session");
    assertEquals("deleted", complete(id, other, "done", null).getString("state"));
  }

  @Test
  void liveSessionNeverLosesItsTasks() throws Exception {
    startEngine();
    long id = add("Quick");
    String live = openSession(300);
    assertEquals(1, claim(live, "Quick", 1, 0).size());
    String other = openSession(30_000);
    Future<JsonObject> waiting = waitingClaim(other, "Quick", 1, 1_500);
    for (int i = 0; i < 15; i++) {
      clock.advance(100);
      call(S, "session-heartbeat", new JsonObject().put("session", live));
    }
    assertEquals(0, await(waiting).getJsonArray("tasks").size(), "five ttls later the task is still held");
    assertEquals(1, stats("Quick").getLong("running"));
    assertEquals("deleted", complete(id, live, "done", null).getString("state"));
  }

  @Test
  void closeReleasesTheSessionsTasksAtOnce() throws Exception {
    startEngine();
    addMany("Quick", 3);
    String a = openSession(30_000);
    assertEquals(3, claim(a, "Quick", 10, 0).size());
    String b = openSession(30_000);
    Future<JsonObject> waiting = request(S, "task-claim", claimBody(b, "Quick", 10, 10_000));
    assertEquals(3, call(S, "session-close", new JsonObject().put("session", a)).getLong("released"));
    assertEquals(3, await(waiting).getJsonArray("tasks").size(), "the waiting claim wakes on the release");
    assertCode(404, callFails(S, "session-close", new JsonObject().put("session", a)), "session");
    assertCode(404, callFails(S, "task-claim", claimBody(a, "Quick", 1, 0)), "session");
  }

  @Test
  void restartKeepsLiveSessionsAndTheirTasks() throws Exception {
    PiriServer first = startEngine();
    long id = add("Quick");
    String a = openSession(60_000);
    assertEquals(1, claim(a, "Quick", 1, 0).size());
    stopServer(first);
    config = backend().sameNode(config);
    startEngine();
    String b = openSession(30_000);
    Future<JsonObject> waiting = waitingClaim(b, "Quick", 1, 300);
    clock.advance(300);
    assertEquals(0, await(waiting).getJsonArray("tasks").size(), "a new process does not steal a live session's task (item 26 differs)");
    assertEquals("deleted", complete(id, a, "done", null).getString("state"));
  }

  @Test
  void completionsDuringStopAreCommittedOrRefusedWith503() throws Exception {
    PiriServer first = startEngine();
    java.util.List<Long> ids = addMany("Quick", 40);
    String s = openSession(60_000);
    assertEquals(40, claim(s, "Quick", 100, 0).size());
    java.util.List<Future<JsonObject>> replies = new java.util.ArrayList<>();
    for (long id : ids) replies.add(request(S, "task-complete", completeBody(id, s, "done", null)));
    stopServer(first);
    config = backend().sameNode(config);
    startEngine();
    int committed = 0;
    for (int i = 0; i < ids.size(); i++) {
      long id = ids.get(i);
      Future<JsonObject> r = replies.get(i);
      try {
        await(r);
        committed++;
        assertEquals(1, history(new JsonObject().put("task_id", id)).size(), "acknowledged, so durable: " + id);
      } catch (io.vertx.core.eventbus.ReplyException e) {
        assertEquals(503, e.failureCode(), e.getMessage());
        assertEquals(0, history(new JsonObject().put("task_id", id)).size());
        assertEquals("deleted", complete(id, s, "done", null).getString("state"), "refused, so still held: " + id);
      }
    }
    assertEquals(new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L), stats("Quick"));
  }
}
