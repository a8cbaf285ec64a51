package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Long-poll claims ({@code wait_ms}): woken when a job becomes claimable (enqueue, delay, retry,
 * lease expiry, requeue; on PostgreSQL also through another instance), empty after wait_ms when
 * nothing comes (spec §14.6: no poll interval before the first attempt).
 */
public abstract class WaitTestBase extends QueueTestBase {

  private Future<JsonObject> waitingClaim(Bus bus, String queue, int max, long waitMs) {
    return bus.send(R, "claim", claimBody(queue, max).put("wait_ms", waitMs));
  }

  private static JsonArray jobsOf(Future<JsonObject> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS).getJsonArray("jobs");
  }

  /** Lets a just-sent claim reach the store and find the queue empty. */
  private static void settle() throws InterruptedException {
    Thread.sleep(250);
  }

  @Test
  void waitingClaimWakesOnEnqueue() throws Exception {
    startQueues();
    Future<JsonObject> waiting = waitingClaim(local(), "t", 5, 10_000);
    settle();
    assertFalse(waiting.isComplete(), "the claim waits");
    long sent = System.currentTimeMillis();
    long id = enqueue(R, "t", "j", 1);
    JsonArray jobs = jobsOf(waiting);
    long woke = System.currentTimeMillis() - sent;
    assertEquals(List.of(id), ids(jobs));
    assertTrue(woke < 2000, "woke " + woke + " ms after the enqueue, wait_ms was 10000");
  }

  @Test
  void waitingClaimWakesWhenADelayedJobIsDue() throws Exception {
    startQueues();
    long start = System.currentTimeMillis();
    long id = call(R, "enqueue", enqueueBody("t", "later", 1).put("delay_ms", 600)).getLong("id");
    JsonArray jobs = jobsOf(waitingClaim(local(), "t", 1, 10_000));
    long took = System.currentTimeMillis() - start;
    assertEquals(List.of(id), ids(jobs));
    assertTrue(took >= 600 && took < 3000, "woke after " + took + " ms for a 600 ms delay, wait_ms 10000");
  }

  @Test
  void waitingClaimWakesWhenALeaseRunsOut() throws Exception {
    startQueues();
    long id = enqueue(R, "slow", "j", 1);
    claimOne(R, "slow");
    long start = System.currentTimeMillis();
    JsonArray jobs = jobsOf(waitingClaim(local(), "slow", 1, 10_000));
    long took = System.currentTimeMillis() - start;
    assertEquals(List.of(id), ids(jobs));
    assertEquals(2, jobs.getJsonObject(0).getInteger("attempt"));
    assertTrue(took < 3000, "woke after " + took + " ms for a 300 ms lease, wait_ms 10000");
  }

  /**
   * A claim that waits while the queue's next known due time is far away must still wake when a
   * lease handed out in the meantime runs out.
   */
  @Test
  void waitingClaimWakesForALeaseTakenAfterTheQueueTimerWasSet() throws Exception {
    startQueues();
    call(R, "enqueue", enqueueBody("slow", "far", 1).put("delay_ms", 20_000));
    Future<JsonObject> first = waitingClaim(local(), "slow", 1, 10_000);
    settle();
    long id = enqueue(R, "slow", "near", 2);
    assertEquals(List.of(id), ids(jobsOf(first)));
    // The job is now leased for 300 ms by the first claimer, which never answers.
    long start = System.currentTimeMillis();
    JsonArray jobs = jobsOf(waitingClaim(local(), "slow", 1, 8_000));
    long took = System.currentTimeMillis() - start;
    assertEquals(List.of(id), ids(jobs), "the expired lease was claimed");
    assertTrue(took < 3000, "woke after " + took + " ms for a 300 ms lease, wait_ms 8000");
  }

  @Test
  void waitingClaimWakesForARetryAndARequeue() throws Exception {
    startQueues();
    enqueue(R, "slow", "j", 1);
    JsonObject job = claimOne(R, "slow");
    Future<JsonObject> waiting = waitingClaim(local(), "slow", 1, 10_000);
    settle();
    long sent = System.currentTimeMillis();
    call(R, "fail", held("slow", job).put("error", "e").put("retry_in_ms", 200));
    JsonArray jobs = jobsOf(waiting);
    assertEquals(2, jobs.getJsonObject(0).getInteger("attempt"));
    assertTrue(System.currentTimeMillis() - sent < 2000, "woke for the retry");

    call(R, "fail", held("slow", jobs.getJsonObject(0)).put("error", "e").put("permanent", true));
    waiting = waitingClaim(local(), "slow", 1, 10_000);
    settle();
    sent = System.currentTimeMillis();
    call(R, "dead-requeue", new JsonObject().put("queue", "slow").put("all", true));
    jobs = jobsOf(waiting);
    assertEquals(1, jobs.size());
    assertEquals(1, jobs.getJsonObject(0).getInteger("attempt"));
    assertTrue(System.currentTimeMillis() - sent < 2000, "woke for the requeue");
  }

  @Test
  void waitingClaimReturnsNothingAfterWaitMs() throws Exception {
    startQueues();
    enqueue(R, "t-other", "elsewhere", 1);
    long start = System.currentTimeMillis();
    JsonArray jobs = jobsOf(waitingClaim(local(), "t", 3, 600));
    long took = System.currentTimeMillis() - start;
    assertEquals(0, jobs.size());
    assertTrue(took >= 550 && took < 5000, "answered after " + took + " ms for wait_ms 600");
    assertEquals(counts(1, 0, 0, 0, 0), stats(R, "t-other"), "a job of another queue does not wake it nor get taken");
  }

  @Test
  void oneJobWakesManyWaitersButGoesToOne() throws Exception {
    startQueues();
    List<Future<JsonObject>> waiting = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      waiting.add(local().send(R, "claim", claimBody("t", 1).put("wait_ms", 4_000).put("lease_ms", 30_000)));
    }
    settle();
    long first = enqueue(R, "t", "j", 0);
    Thread.sleep(300);
    long done = waiting.stream().filter(Future::isComplete).count();
    assertEquals(1, done, "exactly one waiter got the job, the others keep waiting");
    JsonArray batch = new JsonArray();
    for (int i = 0; i < 5; i++) batch.add(job("j", i + 1));
    List<Object> more = call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", batch)).getJsonArray("ids").getList();
    Set<Long> delivered = new HashSet<>();
    int deliveredCount = 0;
    for (Future<JsonObject> f : waiting) {
      JsonArray jobs = jobsOf(f);
      deliveredCount += jobs.size();
      delivered.addAll(ids(jobs));
    }
    Set<Long> expected = new HashSet<>();
    expected.add(first);
    more.forEach(o -> expected.add(((Number) o).longValue()));
    assertEquals(6, deliveredCount, "no job was handed to two waiters");
    assertEquals(expected, delivered);
  }

  @Test
  void waitingClaimsAreAnsweredWhenTheServerStops() throws Exception {
    var server = startQueues();
    Future<JsonObject> waiting = waitingClaim(local(), "t", 1, 20_000);
    settle();
    long start = System.currentTimeMillis();
    stopServer(server);
    assertEquals(0, jobsOf(waiting).size());
    assertTrue(System.currentTimeMillis() - start < 5000, "answered at stop, not after wait_ms");
  }

  @Test
  void waitingClaimOnOneInstanceWakesForAnEnqueueOnAnother() throws Exception {
    if (!postgres()) return;
    startQueues();
    Bus second = startSecondInstance();
    for (int round = 0; round < 3; round++) {
      Future<JsonObject> waiting = waitingClaim(local(), "t", 1, 10_000);
      settle();
      long sent = System.currentTimeMillis();
      long id = await(second.send(R, "enqueue", enqueueBody("t", "remote", round))).getLong("id");
      JsonArray jobs = jobsOf(waiting);
      long woke = System.currentTimeMillis() - sent;
      assertEquals(List.of(id), ids(jobs));
      assertTrue(woke < 2000, "woke " + woke + " ms after the enqueue on the other instance");
      await(second.send(R, "complete", held("t", jobs.getJsonObject(0))));
    }
    // And a retry scheduled through the other instance.
    enqueue(R, "t", "j", 9);
    JsonObject job = await(second.send(R, "claim", claimBody("t", 1).put("lease_ms", 10_000))).getJsonArray("jobs").getJsonObject(0);
    Future<JsonObject> waiting = waitingClaim(local(), "t", 1, 10_000);
    settle();
    await(second.send(R, "fail", held("t", job).put("error", "e").put("retry_in_ms", 100)));
    long sent = System.currentTimeMillis();
    JsonArray jobs = jobsOf(waiting);
    assertEquals(job.getLong("id"), jobs.getJsonObject(0).getLong("id"));
    assertTrue(System.currentTimeMillis() - sent < 2000);
  }
}
