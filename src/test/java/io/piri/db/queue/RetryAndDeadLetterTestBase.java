package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.Eventually;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Failures: backoff with jitter or retry_in_ms (spec §14.8), permanent errors and the last attempt
 * dead-lettered, leases expiring on the last attempt reaped (§14.4), and the dead-letter queue:
 * list, page, requeue, purge (§14.14; checklist 13, 25, 33, 34).
 */
public abstract class RetryAndDeadLetterTestBase extends QueueTestBase {

  private JsonObject failBody(JsonObject job, String queue, String error) {
    return held(queue, job).put("error", error);
  }

  /** Fails a held job and checks run_at lies in [now + lo, now + hi]; returns the reply. */
  private JsonObject failScheduled(StoreId store, String queue, JsonObject job, JsonObject extra, long lo, long hi) throws Exception {
    JsonObject body = failBody(job, queue, "transient").mergeIn(extra);
    long now = clock.now();
    JsonObject r = call(store, "fail", body);
    assertEquals("scheduled", r.getString("state"), r.encode());
    long runAt = r.getLong("run_at");
    assertTrue(runAt >= now + lo && runAt <= now + hi,
        "run_at " + (runAt - now) + "ms after the request, expected within [" + lo + ", " + hi + "]");
    return r;
  }

  /** Moves the clock to {@code runAt}: the job is not claimable 1 ms before, and is then. */
  private JsonObject claimWhenDue(StoreId store, String queue, long runAt) throws Exception {
    clock.advanceTo(runAt - 1);
    assertEquals(0, claim(store, queue, 10).size(), "not claimable before it is due");
    clock.advanceTo(runAt);
    JsonArray got = claim(store, queue, 10);
    assertEquals(1, got.size(), got.encode());
    return got.getJsonObject(0);
  }

  @Test
  void transientFailureBacksOffExponentiallyWithJitterUpToTheMax() throws Exception {
    startQueues();
    // slow: backoff_base 400ms, backoff_max 1s, max_attempts 5.
    long id = enqueue(R, "slow", "j", 1);
    JsonObject a1 = claimOne(R, "slow");
    long runAt = failScheduled(R, "slow", a1, new JsonObject(), 320, 480).getLong("run_at");
    assertEquals(0, claim(R, "slow", 10).size(), "not claimable during the backoff");
    assertEquals(counts(0, 1, 0, 0, 0), stats(R, "slow"));
    JsonObject a2 = claimWhenDue(R, "slow", runAt);
    assertEquals(id, a2.getLong("id"));
    assertEquals(2, a2.getInteger("attempt"));
    // retry_in_ms replaces the backoff.
    failScheduled(R, "slow", a2, new JsonObject().put("retry_in_ms", 0), 0, 0);
    JsonObject a3 = claimOne(R, "slow");
    assertEquals(3, a3.getInteger("attempt"));
    // Attempt 3: 400 * 2^2 = 1600, capped at backoff_max 1s, ±20%.
    runAt = failScheduled(R, "slow", a3, new JsonObject(), 800, 1200).getLong("run_at");
    JsonObject a4 = claimWhenDue(R, "slow", runAt);
    assertEquals(4, a4.getInteger("attempt"));
    // Attempt 4 with an explicit retry time.
    failScheduled(R, "slow", a4, new JsonObject().put("retry_in_ms", 700), 700, 700);
    assertEquals(counts(0, 1, 0, 0, 0), stats(R, "slow"));
  }

  @Test
  void backoffIsJittered() throws Exception {
    startQueues();
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 12; i++) batch.add(job("j", i));
    call(R, "enqueue-batch", new JsonObject().put("queue", "slow").put("jobs", batch));
    JsonArray jobs = claim(R, "slow", 100);
    Set<Long> delays = new HashSet<>();
    for (int i = 0; i < jobs.size(); i++) {
      JsonObject r = failScheduled(R, "slow", jobs.getJsonObject(i), new JsonObject(), 320, 480);
      delays.add(r.getLong("run_at") - clock.now());
    }
    assertTrue(delays.size() > 1, "12 retries do not all wait the same: " + delays);
    assertEquals(counts(0, 12, 0, 0, 0), stats(R, "slow"));
  }

  @Test
  void permanentFailureDeadLettersAtOnce() throws Exception {
    startQueues();
    JsonObject payload = new JsonObject().put("blob", "bafy").put("n", 3);
    long id = enqueue(R, "slow", "transfer-task", payload);
    JsonObject job = claimOne(R, "slow");
    JsonObject r = call(R, "fail", failBody(job, "slow", "upload service said 410").put("permanent", true));
    assertEquals(new JsonObject().put("state", "dead"), r);
    assertEquals(counts(0, 0, 0, 1, 0), stats(R, "slow"));
    assertEquals(0, claim(R, "slow", 10).size());
    JsonArray dead = deadList(R, "slow");
    assertEquals(1, dead.size());
    JsonObject d = dead.getJsonObject(0);
    assertEquals(id, d.getLong("job_id"));
    assertTrue(d.getLong("id") > 0);
    assertEquals("transfer-task", d.getString("name"));
    assertEquals(payload, d.getJsonObject("payload"));
    assertEquals(1, d.getInteger("attempts"));
    assertEquals("permanent_error", d.getString("reason"));
    assertEquals("upload service said 410", d.getString("error"));
    assertEquals(clock.now(), d.getLong("failed_at"), d.encode());
    // The job is gone from the live queue.
    assertCode(404, callFails(R, "complete", held("slow", job)), String.valueOf(id));
  }

  @Test
  void failureOfTheLastAttemptDeadLettersWithMaxAttempts() throws Exception {
    startQueues();
    // t: max_attempts 2.
    String b64 = "AAECAwQFBgcICQ==";
    long id = call(R, "enqueue", new JsonObject().put("queue", "t").put("name", "bin").put("payload_base64", b64)).getLong("id");
    JsonObject a1 = claimOne(R, "t");
    assertEquals("scheduled", call(R, "fail", failBody(a1, "t", "first").put("retry_in_ms", 0)).getString("state"));
    JsonObject a2 = claimOne(R, "t");
    assertEquals(2, a2.getInteger("attempt"));
    assertEquals(2, a2.getInteger("max_attempts"));
    JsonObject r = call(R, "fail", failBody(a2, "t", "second"));
    assertEquals("dead", r.getString("state"));
    assertFalse(r.containsKey("run_at"), r.encode());
    JsonObject d = deadList(R, "t").getJsonObject(0);
    assertEquals(id, d.getLong("job_id"));
    assertEquals("max_attempts", d.getString("reason"));
    assertEquals("second", d.getString("error"), "the last error is kept");
    assertEquals(2, d.getInteger("attempts"));
    assertEquals(b64, d.getString("payload_base64"));
    assertFalse(d.containsKey("payload"));
    assertEquals(counts(0, 0, 0, 1, 0), stats(R, "t"));
  }

  @Test
  void leaseThatRunsOutOnTheLastAttemptIsDeadLetteredWithoutAnotherClaim() throws Exception {
    startQueues();
    // once (egress_tracker): max_attempts 1, lease 300ms.
    long id = enqueue(E, "once", "egress-track-task", new JsonObject().put("/", "bafy"));
    JsonObject job = claimOne(E, "once");
    assertEquals(1, job.getInteger("max_attempts"));
    clock.advance(300);
    assertEquals(counts(0, 0, 1, 0, 0), stats(E, "once"), "the lease has not run out yet");
    clock.advance(1);
    Eventually.until("the reaper dead-letters the job", () -> stats(E, "once").getLong("dead") == 1);
    assertEquals(counts(0, 0, 0, 1, 0), stats(E, "once"));
    JsonObject d = deadList(E, "once").getJsonObject(0);
    assertEquals(id, d.getLong("job_id"));
    assertEquals("max_attempts", d.getString("reason"));
    assertEquals(1, d.getInteger("attempts"));
    assertEquals("egress-track-task", d.getString("name"));
    assertEquals(new JsonObject().put("/", "bafy"), d.getJsonObject("payload"));
    assertTrue(d.getString("error") != null && !d.getString("error").isEmpty(), d.encode());
    // The worker that lost the lease can no longer touch it.
    assertCode(404, callFails(E, "complete", held("once", job)), String.valueOf(id));
  }

  @Test
  void leasesRunningOutOnEveryAttemptEndInTheDeadLetterQueue() throws Exception {
    startQueues();
    // t: max_attempts 2, lease 300ms; the worker never answers.
    long id = enqueue(R, "t", "j", 1);
    long start = clock.now();
    assertEquals(1, claimOne(R, "t").getInteger("attempt"));
    JsonObject second = claimWhenDue(R, "t", start + 300);
    assertEquals(2, second.getInteger("attempt"));
    assertEquals(id, second.getLong("id"));
    clock.advance(301);
    Eventually.until("the reaper dead-letters the job", () -> stats(R, "t").getLong("dead") == 1);
    assertEquals(counts(0, 0, 0, 1, 0), stats(R, "t"));
    assertEquals("max_attempts", deadList(R, "t").getJsonObject(0).getString("reason"));
    assertEquals(0, claim(R, "t", 10).size());
  }

  @Test
  void lastAttemptThatIsExtendedOrCompletedIsNotReaped() throws Exception {
    startQueues();
    JsonArray jobs = claimedTogether(E, "once", "extended", "completed");
    JsonObject extended = jobs.getJsonObject(0);
    JsonObject completed = jobs.getJsonObject(1);
    call(E, "extend", held("once", extended).put("lease_ms", 1200));
    complete(E, "once", completed);
    clock.advance(700);
    assertEquals(counts(0, 0, 1, 0, 1), stats(E, "once"), "past the original lease: still running, nothing dead");
    assertEquals(new JsonObject().put("completed", 1), complete(E, "once", extended));
    clock.advance(600);
    assertEquals(counts(0, 0, 0, 0, 2), stats(E, "once"), "past the extended lease: nothing to reap");
  }

  @Test
  void lastAttemptLeaseThatRanOutWhileTheServerWasDownIsReapedAtStart() throws Exception {
    PiriServer server = startQueues();
    long id = enqueue(E, "once", "j", 1);
    claimOne(E, "once");
    stopServer(server);
    clock.advance(400);
    // The store reaps before it starts answering.
    startServer(backend().sameNode(queueConfig()));
    assertEquals(id, deadList(E, "once").getJsonObject(0).getLong("job_id"));
    assertEquals(counts(0, 0, 0, 1, 0), stats(E, "once"));
  }

  @Test
  void deadListPagesByAfterId() throws Exception {
    startQueues();
    List<Long> jobIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) jobIds.add(enqueue(R, "t", "j" + i, i));
    enqueue(R, "t-other", "other", 0);
    for (JsonObject q : List.of(new JsonObject().put("q", "t").put("n", 5), new JsonObject().put("q", "t-other").put("n", 1))) {
      JsonArray jobs = claim(R, q.getString("q"), 10);
      assertEquals(q.getInteger("n"), jobs.size());
      for (int i = 0; i < jobs.size(); i++) {
        call(R, "fail", failBody(jobs.getJsonObject(i), q.getString("q"), "err " + i).put("permanent", true));
      }
    }
    List<Long> seenJobs = new ArrayList<>();
    List<Long> deadIds = new ArrayList<>();
    JsonObject page = call(R, "dead-list", new JsonObject().put("queue", "t").put("limit", 2));
    int pages = 0;
    while (true) {
      pages++;
      JsonArray jobs = page.getJsonArray("jobs");
      for (int i = 0; i < jobs.size(); i++) {
        seenJobs.add(jobs.getJsonObject(i).getLong("job_id"));
        deadIds.add(jobs.getJsonObject(i).getLong("id"));
      }
      Long next = page.getLong("next_after_id");
      if (next == null) break;
      assertEquals(deadIds.get(deadIds.size() - 1), next);
      page = call(R, "dead-list", new JsonObject().put("queue", "t").put("limit", 2).put("after_id", next));
      assertTrue(pages < 10, "paging ends");
    }
    assertEquals(3, pages);
    assertEquals(jobIds, seenJobs, "every dead job of the queue once, in order, none of another queue");
    for (int i = 1; i < deadIds.size(); i++) assertTrue(deadIds.get(i) > deadIds.get(i - 1));
    JsonObject empty = call(R, "dead-list", new JsonObject().put("queue", "t").put("after_id", deadIds.get(4)));
    assertEquals(0, empty.getJsonArray("jobs").size());
    assertNull(empty.getValue("next_after_id"));
  }

  @Test
  void deadJobsCanBeRequeuedByIdOrAll() throws Exception {
    startQueues();
    JsonObject[] payloads = {new JsonObject().put("i", 0), new JsonObject().put("i", 1), new JsonObject().put("i", 2)};
    for (JsonObject p : payloads) enqueue(R, "t", "j", p);
    JsonArray jobs = claim(R, "t", 10);
    for (int i = 0; i < 3; i++) call(R, "fail", failBody(jobs.getJsonObject(i), "t", "e").put("permanent", true));
    JsonArray dead = deadList(R, "t");
    assertEquals(3, dead.size());

    JsonArray some = new JsonArray().add(dead.getJsonObject(0).getLong("id")).add(dead.getJsonObject(2).getLong("id"));
    assertEquals(new JsonObject().put("requeued", 2), call(R, "dead-requeue", new JsonObject().put("queue", "t").put("ids", some)));
    assertEquals(counts(2, 0, 0, 1, 0), stats(R, "t"));
    assertEquals(List.of(dead.getJsonObject(1).getLong("id")), ids(deadList(R, "t")));
    JsonArray back = claim(R, "t", 10);
    assertEquals(2, back.size());
    assertEquals(payloads[0], back.getJsonObject(0).getJsonObject("payload"));
    assertEquals(payloads[2], back.getJsonObject(1).getJsonObject("payload"));
    for (int i = 0; i < 2; i++) {
      assertEquals(1, back.getJsonObject(i).getInteger("attempt"), "a requeued job starts again at attempt 1");
      assertEquals("j", back.getJsonObject(i).getString("name"));
    }
    // Requeued dead rows are gone; requeueing them again does nothing.
    assertEquals(0, call(R, "dead-requeue", new JsonObject().put("queue", "t").put("ids", some)).getInteger("requeued"));

    assertEquals(new JsonObject().put("requeued", 1), call(R, "dead-requeue", new JsonObject().put("queue", "t").put("all", true)));
    assertEquals(0, deadList(R, "t").size());
    JsonObject last = claimOne(R, "t");
    assertEquals(payloads[1], last.getJsonObject("payload"));
    assertEquals(1, last.getInteger("attempt"));
    assertEquals(counts(0, 0, 3, 0, 0), stats(R, "t"));
  }

  @Test
  void deadJobsCanBePurged() throws Exception {
    startQueues();
    for (int i = 0; i < 4; i++) enqueue(R, "t", "j", i);
    enqueue(R, "t-other", "j", 9);
    JsonArray jobs = claim(R, "t", 10);
    for (int i = 0; i < 4; i++) call(R, "fail", failBody(jobs.getJsonObject(i), "t", "e").put("permanent", true));
    call(R, "fail", failBody(claimOne(R, "t-other"), "t-other", "e").put("permanent", true));
    JsonArray dead = deadList(R, "t");
    long firstId = dead.getJsonObject(0).getLong("id");
    assertEquals(new JsonObject().put("purged", 1),
        call(R, "dead-purge", new JsonObject().put("queue", "t").put("ids", new JsonArray().add(firstId))));
    assertEquals(3, deadList(R, "t").size());
    assertFalse(ids(deadList(R, "t")).contains(firstId));
    // The ids of another queue's dead rows are not reachable through this queue.
    long otherId = deadList(R, "t-other").getJsonObject(0).getLong("id");
    assertEquals(0, call(R, "dead-purge", new JsonObject().put("queue", "t").put("ids", new JsonArray().add(otherId))).getInteger("purged"));
    assertEquals(new JsonObject().put("purged", 3), call(R, "dead-purge", new JsonObject().put("queue", "t").put("all", true)));
    assertEquals(counts(0, 0, 0, 0, 0), stats(R, "t"));
    assertEquals(1, deadList(R, "t-other").size());
  }
}
