package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.piri.db.server.PiriServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

  @Test
  void sessionListShowsLiveSessionsWithHeartbeatExpiryAndTasksHeld() throws Exception {
    startEngine();
    long opened = clock.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(call(S, "session-open", new JsonObject().put("name", "w" + i).put("ttl_ms", 10_000)).getString("session"));
    }
    Collections.sort(ids);
    String holder = ids.get(1);
    add("Quick");
    add("Quick");
    assertEquals(2, claim(holder, "Quick", 2, 0).size());
    String gone = openSession(100);
    clock.advance(2_000);
    call(S, "session-heartbeat", new JsonObject().put("session", holder));

    List<JsonObject> listed = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonObject body = new JsonObject().put("limit", 2);
      if (after != null) body.put("after", after);
      JsonObject page = call(S, "session-list", body);
      page.getJsonArray("sessions").forEach(o -> listed.add((JsonObject) o));
      after = page.getString("next");
      pages++;
    } while (after != null);
    assertEquals(2, pages);
    assertEquals(ids, listed.stream().map(s -> s.getString("session")).toList(), "live sessions by id; the expired one is not listed");
    assertFalse(listed.stream().anyMatch(s -> s.getString("session").equals(gone)));
    for (JsonObject s : listed) {
      boolean held = s.getString("session").equals(holder);
      long beat = held ? opened + 2_000 : opened;
      assertEquals(beat, s.getLong("heartbeat_at"), s.encode());
      assertEquals(beat + 10_000, s.getLong("expires_at"), s.encode());
      assertEquals(10_000, s.getLong("ttl_ms"));
      assertEquals(opened, s.getLong("opened_at"));
      assertEquals(held ? 2 : 0, s.getLong("tasks"), s.encode());
    }
    assertEquals(java.util.Set.of("w0", "w1", "w2"), listed.stream().map(s -> s.getString("name")).collect(java.util.stream.Collectors.toSet()));
    for (JsonObject bad : List.of(new JsonObject().put("limit", 0), new JsonObject().put("limit", 1001), new JsonObject().put("after", ""),
        new JsonObject().put("after", 7), new JsonObject().put("session", holder))) {
      assertCode(400, callFails(S, "session-list", bad), null);
    }
  }
}
