package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Add, claim and complete: Piri's outcomes (spec §5 items 10, 17, 19-24, 28) and the retry waits (D2, D3). */
public abstract class TaskLifecycleTestBase extends TaskEngineTestBase {

  /** A new task of {@code name} and the session that will run it again and again. */
  private Held addWithSession(String name) throws Exception {
    return new Held(add(name), openSession(30_000));
  }

  /**
   * Claims task {@code t} again, checks that it has {@code retries} failures behind it, and reports
   * this run's {@code outcome}; returns the reply.
   */
  private JsonObject runAgain(Held t, String name, long retries, String outcome, String error) throws Exception {
    JsonObject task = claimOne(t.session(), name);
    assertEquals(t.id(), task.getLong("id"));
    assertEquals(retries, task.getLong("retries"), "failures before this run");
    return complete(t.id(), t.session(), outcome, error);
  }

  @Test
  void addedTaskIsClaimedOnceAndDoneDeletesItWithHistory() throws Exception {
    startEngine();
    long id = add("Quick");
    assertEquals(1, stats("Quick").getLong("runnable"));
    String s = openSession(30_000);
    JsonArray tasks = claim(s, "Quick", 10, 0);
    assertEquals(1, tasks.size());
    JsonObject t = tasks.getJsonObject(0);
    assertEquals(id, t.getLong("id"));
    assertEquals("Quick", t.getString("name"));
    assertEquals(0, t.getLong("retries"));
    assertEquals(clock.now(), t.getLong("posted_time"));
    assertTrue(t.getLong("update_time") >= t.getLong("posted_time"));
    assertEquals(1, stats("Quick").getLong("running"));
    assertEquals(0, claim(openSession(30_000), "Quick", 10, 0).size(), "a held task goes to nobody else");

    JsonObject r = complete(id, s, "done", null);
    assertEquals("deleted", r.getString("state"));
    assertEquals(null, r.getValue("runnable_at"));
    JsonArray h = history(new JsonObject().put("task_id", id));
    assertEquals(1, h.size());
    JsonObject row = h.getJsonObject(0);
    assertEquals(true, row.getBoolean("result"));
    assertEquals("", row.getString("err"));
    assertEquals(s, row.getString("completed_by_session_id"));
    assertEquals(t.getLong("posted_time"), row.getLong("posted"));
    assertEquals("done", row.getString("outcome"));
    assertEquals(new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L), stats("Quick"));
    assertEquals(0, claim(s, "Quick", 10, 0).size());
  }

  @Test
  void uniqueKeyAddsOnceWhileTheTaskExists() throws Exception {
    startEngine();
    JsonObject body = new JsonObject().put("name", "Quick").put("unique_key", "proofset-7").put("added_by", "test");
    JsonObject first = call(S, "task-add", body);
    JsonObject again = call(S, "task-add", body);
    assertEquals(false, first.getBoolean("duplicate"));
    assertEquals(true, again.getBoolean("duplicate"));
    assertEquals(first.getLong("id"), again.getLong("id"));
    assertEquals(false, call(S, "task-add", body.copy().put("name", "Forever")).getBoolean("duplicate"), "the key is per type");
    String s = openSession(30_000);
    complete(claim(s, "Quick", 1, 0).getJsonObject(0).getLong("id"), s, "done", null);
    JsonObject later = call(S, "task-add", body);
    assertEquals(false, later.getBoolean("duplicate"));
    assertNotEquals(first.getLong("id"), later.getLong("id"), "ids are never reused");
  }

  @Test
  void doneWithAnErrorIsANonFailingError() throws Exception {
    startEngine();
    Held t = addAndClaim("Quick");
    assertEquals("deleted", complete(t.id(), t.session(), "done", "receipt late").getString("state"));
    JsonObject row = history(new JsonObject().put("task_id", t.id())).getJsonObject(0);
    assertEquals(true, row.getBoolean("result"));
    assertEquals("non-failing error: receipt late", row.getString("err"));
  }

  @Test
  void failedTaskWaitsRetriesAndIsDroppedAfterMaxFailuresPlusOneRuns() throws Exception {
    startEngine();
    Held t = addWithSession("Quick"); // max_failures 3, retry_wait 200ms
    for (int run = 0; run < 4; run++) {
      JsonObject r = runAgain(t, "Quick", run, "failed", "boom");
      if (run < 3) {
        assertEquals("requeued", r.getString("state"));
        assertEquals(clock.now() + 200, r.getLong("runnable_at"), r.encode());
        clock.advance(199);
        assertEquals(0, claim(t.session(), "Quick", 1, 0).size(), "not runnable before retry_wait");
        assertEquals(1, stats("Quick").getLong("waiting"));
        clock.advance(1);
      } else {
        assertEquals("dropped", r.getString("state"));
      }
    }
    JsonArray h = history(new JsonObject().put("task_id", t.id()));
    assertEquals(4, h.size(), "N+1 runs, N+1 history rows");
    for (Object o : h) {
      JsonObject row = (JsonObject) o;
      assertEquals(false, row.getBoolean("result"));
      assertEquals("error: boom", row.getString("err"));
    }
    assertEquals("dropped", h.getJsonObject(3).getString("state"));
    assertEquals(new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L), stats("Quick"));
  }

  @Test
  void deferredKeepsRetriesNeverRunsAtOnceAndNeverDrops() throws Exception {
    startEngine();
    Held t = addWithSession("Quick");
    for (int run = 0; run < 5; run++) {
      // deferrals do not count as failures
      JsonObject r = runAgain(t, "Quick", 0, "deferred", "gas fee exceeds configured maximum");
      assertEquals("requeued", r.getString("state"));
      assertEquals(clock.now() + 200, r.getLong("runnable_at"));
      assertEquals(0, claim(t.session(), "Quick", 1, 0).size(), "a deferred task is never runnable at once (D2)");
      clock.advance(200);
    }
    JsonArray h = history(new JsonObject().put("task_id", t.id()));
    assertEquals(5, h.size());
    assertEquals("deferred: gas fee exceeds configured maximum", h.getJsonObject(0).getString("err"));
    assertEquals(false, h.getJsonObject(0).getBoolean("result"));
  }

  @Test
  void maxFailuresZeroRetriesForever() throws Exception {
    startEngine();
    Held t = addWithSession("Forever"); // max_failures 0, retry_wait 100ms
    for (int run = 0; run < 7; run++) {
      assertEquals("requeued", runAgain(t, "Forever", run, "failed", null).getString("state"));
      clock.advance(100);
    }
    assertEquals("", history(new JsonObject().put("task_id", t.id())).getJsonObject(0).getString("err"));
  }

  @Test
  void typeWithoutRetryWaitBacksOffExponentially() throws Exception {
    startEngine();
    Held t = addAndClaim("NoWait");
    long first = complete(t.id(), t.session(), "failed", "x").getLong("runnable_at");
    assertEquals(clock.now() + 1_000, first, "1 s after the first failure");
    clock.advance(1_000);
    assertEquals(1, claim(t.session(), "NoWait", 1, 0).size());
    long second = complete(t.id(), t.session(), "deferred", null).getLong("runnable_at");
    assertEquals(clock.now() + 2_000, second, "doubles with each unsuccessful run");
    assertEquals(1, stats("NoWait").getLong("waiting"));
  }

  @Test
  void builtInTypesHavePirisLimits() throws Exception {
    startEngine();
    String s = openSession(30_000);
    long send = add("SendTransaction");
    claim(s, "SendTransaction", 1, 0);
    long at = complete(send, s, "deferred", "gas").getLong("runnable_at");
    assertEquals(clock.now() + 300_000, at, "retry_wait 5m");
    long init = add("PDPInitPP");
    claim(s, "PDPInitPP", 1, 0);
    at = complete(init, s, "failed", null).getLong("runnable_at");
    assertEquals(clock.now() + 1_000, at, "no retry_wait: backoff from 1 s");
    assertEquals(4, call(S, "task-stats", null).fieldNames().stream()
        .filter(n -> n.equals("SendTransaction") || n.equals("PDPInitPP") || n.equals("PDPProvingPeriod") || n.equals("PDPProve")).count());
  }

  @Test
  void maxRunningCapsWhatOneSessionHolds() throws Exception {
    startEngine();
    addMany("Limited", 5); // max_running 2
    String a = openSession(30_000);
    String b = openSession(30_000);
    JsonArray first = claim(a, "Limited", 10, 0);
    assertEquals(2, first.size());
    assertEquals(0, claim(a, "Limited", 10, 0).size(), "a holds its two");
    assertEquals(2, claim(b, "Limited", 10, 0).size(), "the limit is per session");
    complete(first.getJsonObject(0).getLong("id"), a, "done", null);
    assertEquals(1, claim(a, "Limited", 10, 0).size());
    assertEquals(0, claim(a, "Limited", 10, 0).size());
  }

  @Test
  void claimSharesMaxAcrossTypes() throws Exception {
    startEngine();
    addMany("Quick", 10);
    addMany("Forever", 10);
    String s = openSession(30_000);
    JsonObject body = new JsonObject().put("session", s).put("names", new JsonArray().add("Quick").add("Forever")).put("max", 6);
    JsonArray got = call(S, "task-claim", body).getJsonArray("tasks");
    assertEquals(6, got.size());
    assertEquals(3, got.stream().filter(o -> ((JsonObject) o).getString("name").equals("Quick")).count(), "round-robin, not first type first");
    addMany("NoWait", 1);
    body.put("names", new JsonArray().add("NoWait").add("Quick")).put("max", 6);
    assertEquals(6, call(S, "task-claim", body).getJsonArray("tasks").size(), "what one type lacks goes to the others");
  }

  @Test
  void statsCountRunnableWaitingRunning() throws Exception {
    startEngine();
    addMany("Forever", 3);
    String s = openSession(30_000);
    JsonArray got = claim(s, "Forever", 2, 0);
    complete(got.getJsonObject(0).getLong("id"), s, "deferred", null);
    JsonObject st = stats("Forever");
    assertEquals(1, st.getLong("runnable"));
    assertEquals(1, st.getLong("waiting"));
    assertEquals(1, st.getLong("running"));
    assertEquals(new JsonObject().put("runnable", 0L).put("waiting", 0L).put("running", 0L), stats("PDPProve"));
  }
}
