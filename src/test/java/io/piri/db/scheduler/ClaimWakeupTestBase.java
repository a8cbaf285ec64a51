package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.server.PiriServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A waiting task-claim wakes when a task becomes runnable, without polling; stop answers it at once. */
public abstract class ClaimWakeupTestBase extends TaskEngineTestBase {

  @Test
  void addWakesAWaitingClaim() throws Exception {
    startEngine();
    String s = openSession(30_000);
    long start = System.currentTimeMillis();
    Future<JsonObject> waiting = request(S, "task-claim", claimBody(s, "Quick", 5, 20_000));
    vertx.setTimer(200, t -> request(S, "task-add", new JsonObject().put("name", "Quick")));
    JsonArray got = await(waiting).getJsonArray("tasks");
    assertEquals(1, got.size());
    assertTrue(System.currentTimeMillis() - start < 10_000, "woke on the add, not at the deadline");
  }

  @Test
  void addOfAnotherTypeDoesNotAnswerTheClaim() throws Exception {
    startEngine();
    String s = openSession(30_000);
    Future<JsonObject> waiting = request(S, "task-claim", claimBody(s, "Quick", 5, 600));
    add("Forever");
    assertEquals(0, await(waiting).getJsonArray("tasks").size());
  }

  @Test
  void endOfARetryWaitWakesAWaitingClaim() throws Exception {
    startEngine();
    long id = add("Quick");
    String s = openSession(30_000);
    claim(s, "Quick", 1, 0);
    long failedAt = System.currentTimeMillis();
    complete(id, s, "failed", null);
    JsonArray got = claim(s, "Quick", 1, 20_000);
    long waited = System.currentTimeMillis() - failedAt;
    assertEquals(1, got.size());
    assertTrue(waited >= 190 && waited < 10_000, "woke when retry_wait (200ms) was over: " + waited);
  }

  @Test
  void claimWithNothingAnswersEmptyAtItsDeadline() throws Exception {
    startEngine();
    String s = openSession(30_000);
    long start = System.currentTimeMillis();
    assertEquals(0, claim(s, "Quick", 1, 300).size());
    assertTrue(System.currentTimeMillis() - start >= 290);
  }

  @Test
  void stopAnswersWaitingClaimsPromptly() throws Exception {
    PiriServer server = startEngine();
    String s = openSession(30_000);
    Future<JsonObject> waiting = request(S, "task-claim", claimBody(s, "Quick", 1, 30_000));
    Thread.sleep(200); // let the claim park
    long start = System.currentTimeMillis();
    stopServer(server);
    try {
      assertEquals(0, waiting.await(5, TimeUnit.SECONDS).getJsonArray("tasks").size());
    } catch (ReplyException e) {
      assertEquals(503, e.failureCode());
    }
    assertTrue(System.currentTimeMillis() - start < 5_000, "stop did not wait for wait_ms");
  }

  @Test
  void addThroughAnotherInstanceWakesAWaitingClaim() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(backend().type() == io.piri.db.config.BackendType.POSTGRES,
        "two instances share only a PostgreSQL database");
    startEngine();
    Vertx second = startSecondInstance();
    String s = openSession(30_000);
    long start = System.currentTimeMillis();
    Future<JsonObject> waiting = request(S, "task-claim", claimBody(s, "Quick", 5, 20_000));
    Thread.sleep(100);
    long id = await(requestOn(second, "task-add", new JsonObject().put("name", "Quick"))).getLong("id");
    JsonArray got = await(waiting).getJsonArray("tasks");
    assertEquals(1, got.size());
    assertEquals(id, got.getJsonObject(0).getLong("id"));
    assertTrue(System.currentTimeMillis() - start < 10_000);
  }

  @Test
  void sessionExpiryOnAnotherInstanceReleasesTasksHere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(backend().type() == io.piri.db.config.BackendType.POSTGRES,
        "two instances share only a PostgreSQL database");
    startEngine();
    Vertx second = startSecondInstance();
    add("Quick");
    String dying = await(requestOn(second, "session-open", new JsonObject().put("ttl_ms", 300))).getString("session");
    assertEquals(1, await(requestOn(second, "task-claim", claimBody(dying, "Quick", 1, 0))).getJsonArray("tasks").size());
    String s = openSession(30_000);
    assertEquals(1, claim(s, "Quick", 1, 10_000).size());
  }
}
