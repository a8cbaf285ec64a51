package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.piri.db.config.BackendType;
import io.piri.db.server.PiriServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A waiting task-claim wakes when a task becomes runnable, without polling; stop answers it at
 * once. Time moves only when a test advances the clock, so a claim answered with a task while the
 * clock stood still was woken by the change, not by its deadline.
 */
public abstract class ClaimWakeupTestBase extends TaskEngineTestBase {

  /** Opens a session whose claim of up to {@code max} Quick tasks waits {@code waitMs} in the store. */
  private Future<JsonObject> aWaitingClaim(int max, long waitMs) throws Exception {
    return waitingClaim(openSession(30_000), "Quick", max, waitMs);
  }

  private static int tasksIn(Future<JsonObject> claim) throws Exception {
    return await(claim).getJsonArray("tasks").size();
  }

  /** Starts the engine on two nodes of one PostgreSQL database; returns the second's Vertx. */
  private Vertx engineOnTwoNodes() throws Exception {
    assumeTrue(backend().type() == BackendType.POSTGRES, "two instances share only a PostgreSQL database");
    startEngine();
    return startSecondInstance();
  }

  @Test
  void addWakesAWaitingClaim() throws Exception {
    startEngine();
    Future<JsonObject> waiting = aWaitingClaim(5, 20_000);
    add("Quick");
    assertEquals(1, tasksIn(waiting));
  }

  @Test
  void addOfAnotherTypeDoesNotAnswerTheClaim() throws Exception {
    startEngine();
    Future<JsonObject> waiting = aWaitingClaim(5, 600);
    add("Forever");
    clock.advance(600);
    assertEquals(0, tasksIn(waiting));
  }

  @Test
  void endOfARetryWaitWakesAWaitingClaim() throws Exception {
    startEngine();
    Held t = addAndClaim("Quick");
    long runnableAt = complete(t.id(), t.session(), "failed", null).getLong("runnable_at");
    assertEquals(clock.now() + 200, runnableAt, "retry_wait 200ms");
    Future<JsonObject> waiting = waitingClaim(t.session(), "Quick", 1, 20_000);
    clock.awaitTimerAt(runnableAt + 1);
    clock.advanceTo(runnableAt - 1);
    assertFalse(waiting.isComplete(), "not before the retry wait is over");
    clock.advanceTo(runnableAt + 1);
    assertEquals(1, tasksIn(waiting));
  }

  @Test
  void claimWithNothingAnswersEmptyAtItsDeadline() throws Exception {
    startEngine();
    Future<JsonObject> waiting = aWaitingClaim(1, 300);
    clock.advance(299);
    assertFalse(waiting.isComplete(), "it waits its wait_ms");
    clock.advance(1);
    assertEquals(0, tasksIn(waiting));
  }

  @Test
  void stopAnswersWaitingClaimsPromptly() throws Exception {
    PiriServer server = startEngine();
    Future<JsonObject> waiting = aWaitingClaim(1, 30_000);
    stopServer(server);
    try {
      assertEquals(0, waiting.await(5, TimeUnit.SECONDS).getJsonArray("tasks").size(), "answered while its deadline is still ahead");
    } catch (ReplyException e) {
      assertEquals(503, e.failureCode());
    }
  }

  @Test
  void closingItsSessionAnswersAWaitingClaim() throws Exception {
    startEngine();
    String s = openSession(30_000);
    Future<JsonObject> waiting = waitingClaim(s, "Quick", 1, 20_000);
    call(S, "session-close", new JsonObject().put("session", s));
    ReplyException e = org.junit.jupiter.api.Assertions.assertThrows(ReplyException.class, () -> await(waiting));
    assertEquals(404, e.failureCode(), "the claim looked again and found its session gone: " + e.getMessage());
  }

  @Test
  void addThroughAnotherInstanceWakesAWaitingClaim() throws Exception {
    Vertx second = engineOnTwoNodes();
    Future<JsonObject> waiting = aWaitingClaim(5, 20_000);
    long id = await(requestOn(second, "task-add", new JsonObject().put("name", "Quick"))).getLong("id");
    JsonArray got = await(waiting).getJsonArray("tasks");
    assertEquals(1, got.size());
    assertEquals(id, got.getJsonObject(0).getLong("id"));
  }

  @Test
  void sessionExpiryOnAnotherInstanceReleasesTasksHere() throws Exception {
    Vertx second = engineOnTwoNodes();
    add("Quick");
    JsonObject dying = await(requestOn(second, "session-open", new JsonObject().put("ttl_ms", 300)));
    assertEquals(1, await(requestOn(second, "task-claim", claimBody(dying.getString("session"), "Quick", 1, 0)))
        .getJsonArray("tasks").size());
    Future<JsonObject> waiting = aWaitingClaim(1, 10_000);
    long expires = dying.getLong("expires_at");
    clock.awaitTimerAt(expires + 1);
    clock.advanceTo(expires + 1);
    assertEquals(1, tasksIn(waiting));
  }
}
