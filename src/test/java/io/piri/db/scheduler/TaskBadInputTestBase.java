package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rejected requests: 400 naming the field (404/409 where the contract says), and nothing changed. */
public abstract class TaskBadInputTestBase extends TaskEngineTestBase {
  private static final JsonObject EMPTY = new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L);

  @Test
  void unknownTaskTypeIsRefusedOnAddAndClaim() throws Exception {
    startEngine();
    assertCode(400, callFails(S, "task-add", new JsonObject().put("name", "NoSuchType")), "name");
    assertCode(400, callFails(S, "task-add", new JsonObject()), "name");
    assertCode(400, callFails(S, "task-add", new JsonObject().put("name", "Quick").put("colour", "red")), "colour");
    assertEquals(0, history(new JsonObject()).size());
    call(S, "task-stats", null).forEach(e -> assertEquals(EMPTY, e.getValue(), e.getKey()));
    String s = openSession(30_000);
    assertCode(400, callFails(S, "task-claim", claimBody(s, "NoSuchType", 1, 0)), "names");
    assertCode(400, callFails(S, "task-claim", new JsonObject().put("session", s).put("names", new JsonArray())), "names");
    assertCode(400, callFails(S, "task-claim", new JsonObject().put("session", s).put("names", "Quick")), "names");
  }

  @Test
  void claimChecksSessionMaxAndWait() throws Exception {
    startEngine();
    long id = add("Quick");
    String s = openSession(30_000);
    assertCode(400, callFails(S, "task-claim", new JsonObject().put("names", new JsonArray().add("Quick"))), "session");
    assertCode(404, callFails(S, "task-claim", claimBody("no-such-session", "Quick", 1, 0)), "session");
    assertCode(400, callFails(S, "task-claim", claimBody(s, "Quick", 0, 0)), "max");
    assertCode(400, callFails(S, "task-claim", claimBody(s, "Quick", 1001, 0)), "max");
    assertCode(400, callFails(S, "task-claim", claimBody(s, "Quick", 1, 30_001)), "wait_ms");
    assertCode(400, callFails(S, "task-claim", claimBody(s, "Quick", 1, -1)), "wait_ms");
    assertEquals(1, stats("Quick").getLong("runnable"), "nothing was claimed");
    assertEquals(id, claim(s, "Quick", 1, 0).getJsonObject(0).getLong("id"));
  }

  @Test
  void completeChecksOutcomeSessionAndHolder() throws Exception {
    startEngine();
    long id = add("Quick");
    String holder = openSession(30_000);
    String other = openSession(30_000);
    claim(holder, "Quick", 1, 0);
    assertCode(400, callFails(S, "task-complete", completeBody(id, holder, "finished", null)), "outcome");
    assertCode(400, callFails(S, "task-complete", completeBody(id, holder, "done", null).put("session", null)), "session");
    assertCode(404, callFails(S, "task-complete", completeBody(id, "no-such-session", "done", null)), "session");
    assertCode(409, callFails(S, "task-complete", completeBody(id, other, "done", null)), "id");
    assertCode(404, callFails(S, "task-complete", completeBody(id + 1000, holder, "done", null)), "id");
    assertCode(400, callFails(S, "task-complete", completeBody(id, holder, "done", null).put("work_end", 1L)), "work_end");
    assertCode(400, callFails(S, "task-complete", completeBody(id, holder, "done", null).put("work_start", "yesterday")), "work_start");
    JsonObject noStart = completeBody(id, holder, "done", null);
    noStart.remove("work_start");
    assertCode(400, callFails(S, "task-complete", noStart), "work_start");
    assertEquals(1, stats("Quick").getLong("running"), "still held by its session");
    assertEquals(0, history(new JsonObject()).size(), "no history row for a rejected completion");
    assertEquals("deleted", complete(id, holder, "done", null).getString("state"));
  }

  @Test
  void sessionTtlAndUnknownSessionsAreRefused() throws Exception {
    startEngine();
    assertCode(400, callFails(S, "session-open", new JsonObject().put("ttl_ms", -1)), "ttl_ms");
    assertCode(400, callFails(S, "session-open", new JsonObject().put("ttl_ms", 0)), "ttl_ms");
    assertCode(400, callFails(S, "session-open", new JsonObject().put("ttl_ms", 24L * 3600 * 1000)), "ttl_ms");
    assertCode(400, callFails(S, "session-open", new JsonObject().put("ttl_ms", "30s")), "ttl_ms");
    assertCode(400, callFails(S, "session-heartbeat", new JsonObject()), "session");
    assertCode(404, callFails(S, "session-heartbeat", new JsonObject().put("session", "no-such-session")), "session");
    assertCode(404, callFails(S, "session-close", new JsonObject().put("session", "no-such-session")), "session");
  }

  @Test
  void historyChecksItsLimits() throws Exception {
    startEngine();
    assertCode(400, callFails(S, "task-history", new JsonObject().put("limit", 1001)), "limit");
    assertCode(400, callFails(S, "task-history", new JsonObject().put("limit", 0)), "limit");
    assertCode(400, callFails(S, "task-history", new JsonObject().put("after_id", -1)), "after_id");
    assertCode(400, callFails(S, "task-history", new JsonObject().put("task_id", "x")), "task_id");
    assertCode(400, callFails(S, "task-stats", new JsonObject().put("name", "Quick")), "name");
  }

  /** Task ids are JSON integers or strings of ASCII digits; a fraction or another spelling is refused. */
  @Test
  void taskIdsAreIntegersOrDecimalStrings() throws Exception {
    startEngine();
    Held t = addAndClaim("Quick");
    long id = t.id();
    String s = t.session();
    for (Object bad : List.of(id + 0.5, (double) id, "+" + id, id + ".0", " " + id, "\u0661", "9223372036854775808")) {
      assertCode(400, callFails(S, "task-complete", completeBody(id, s, "done", null).put("id", bad)), "id");
      assertCode(400, callFails(S, "task-history", new JsonObject().put("task_id", bad)), "task_id");
    }
    assertEquals(1, stats("Quick").getLong("running"), "still held by its session");
    assertEquals("deleted", call(S, "task-complete", completeBody(id, s, "done", null).put("id", String.valueOf(id))).getString("state"));
    assertEquals(id, call(S, "task-history", new JsonObject().put("task_id", String.valueOf(id))).getJsonArray("rows")
        .getJsonObject(0).getLong("task_id"));
    assertEquals(0, call(S, "task-history", new JsonObject().put("after_id", "999999")).getJsonArray("rows").size());
  }
}
