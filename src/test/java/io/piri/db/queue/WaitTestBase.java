package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
 * nothing comes (spec §14.6: no poll interval before the first attempt). Time moves only when a
 * test advances the clock, so a claim answered with a job while the clock stood still was woken
 * by the change, not by its own deadline.
 */
public abstract class WaitTestBase extends QueueTestBase {

  private Future<JsonObject> waiting(Bus bus, String queue, int max, long waitMs) throws Exception {
    return waitingClaim(bus, R, claimBody(queue, max).put("wait_ms", waitMs));
  }

  private static JsonArray jobsOf(Future<JsonObject> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS).getJsonArray("jobs");
  }

  @Test
  void waitingClaimWakesOnEnqueue() throws Exception {
    startQueues();
    Future<JsonObject> waiting = waiting(local(), "t", 5, 10_000);
    long id = enqueue(R, "t", "j", 1);
    assertEquals(List.of(id), ids(jobsOf(waiting)));
  }

  @Test
  void waitingClaimWakesWhenADelayedJobIsDue() throws Exception {
    startQueues();
    long start = clock.now();
    long id = call(R, "enqueue", enqueueBody("t", "later", 1).put("delay_ms", 600)).getLong("id");
    Future<JsonObject> waiting = waiting(local(), "t", 1, 10_000);
    clock.awaitTimerAt(start + 601);
    clock.advance(600);
    assertFalse(waiting.isComplete(), "not before the delay");
    clock.advance(1);
    assertEquals(List.of(id), ids(jobsOf(waiting)));
  }

  @Test
  void waitingClaimWakesWhenALeaseRunsOut() throws Exception {
    startQueues();
    long id = enqueue(R, "slow", "j", 1);
    long start = clock.now();
    claimOne(R, "slow");
    Future<JsonObject> waiting = waiting(local(), "slow", 1, 10_000);
    clock.awaitTimerAt(start + 301);
    clock.advance(301);
    JsonArray jobs = jobsOf(waiting);
    assertEquals(List.of(id), ids(jobs));
    assertEquals(2, jobs.getJsonObject(0).getInteger("attempt"));
  }

  /**
   * A claim that waits while the queue's next known due time is far away must still wake when a
   * lease handed out in the meantime runs out.
   */
  @Test
  void waitingClaimWakesForALeaseTakenAfterTheQueueTimerWasSet() throws Exception {
    startQueues();
    long start = clock.now();
    call(R, "enqueue", enqueueBody("slow", "far", 1).put("delay_ms", 20_000));
    Future<JsonObject> first = waiting(local(), "slow", 1, 10_000);
    clock.awaitTimerAt(start + 20_001);
    long id = enqueue(R, "slow", "near", 2);
    assertEquals(List.of(id), ids(jobsOf(first)));
    // The job is now leased for 300 ms by the first claimer, which never answers.
    Future<JsonObject> second = waiting(local(), "slow", 1, 8_000);
    clock.awaitTimerAt(start + 301);
    clock.advance(301);
    assertEquals(List.of(id), ids(jobsOf(second)), "the expired lease was claimed");
  }

  @Test
  void waitingClaimWakesForARetryAndARequeue() throws Exception {
    startQueues();
    enqueue(R, "slow", "j", 1);
    long start = clock.now();
    JsonObject job = claimOne(R, "slow");
    Future<JsonObject> waiting = waiting(local(), "slow", 1, 10_000);
    call(R, "fail", held("slow", job).put("error", "e").put("retry_in_ms", 200));
    clock.awaitTimerAt(start + 201);
    clock.advance(201);
    JsonArray jobs = jobsOf(waiting);
    assertEquals(2, jobs.getJsonObject(0).getInteger("attempt"), "woke for the retry, before the lease's end");

    call(R, "fail", held("slow", jobs.getJsonObject(0)).put("error", "e").put("permanent", true));
    waiting = waiting(local(), "slow", 1, 10_000);
    call(R, "dead-requeue", new JsonObject().put("queue", "slow").put("all", true));
    jobs = jobsOf(waiting);
    assertEquals(1, jobs.size());
    assertEquals(1, jobs.getJsonObject(0).getInteger("attempt"));
  }

  @Test
  void waitingClaimReturnsNothingAfterWaitMs() throws Exception {
    startQueues();
    enqueue(R, "t-other", "elsewhere", 1);
    Future<JsonObject> waiting = waiting(local(), "t", 3, 600);
    clock.advance(599);
    assertFalse(waiting.isComplete(), "it waits its wait_ms");
    clock.advance(1);
    assertEquals(0, jobsOf(waiting).size());
    assertEquals(counts(1, 0, 0, 0, 0), stats(R, "t-other"), "a job of another queue does not wake it nor get taken");
  }

  @Test
  void oneJobWakesManyWaitersButGoesToOne() throws Exception {
    startQueues();
    long deadline = clock.now() + 4_000;
    List<Future<JsonObject>> waiting = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      waiting.add(waitingClaim(local(), R, claimBody("t", 1).put("wait_ms", 4_000).put("lease_ms", 30_000)));
    }
    long first = enqueue(R, "t", "j", 0);
    Future.any(new ArrayList<>(waiting)).await(30, TimeUnit.SECONDS);
    // Every waiter was woken at once; the five that found nothing wait again until their deadline.
    clock.awaitTimers(d -> d == deadline, 5);
    assertEquals(1, waiting.stream().filter(Future::isComplete).count(), "exactly one waiter got the job, the others keep waiting");
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
    Future<JsonObject> waiting = waiting(local(), "t", 1, 20_000);
    stopServer(server);
    assertEquals(0, jobsOf(waiting).size(), "answered at stop, while its deadline is still ahead");
  }

  @Test
  void waitingClaimOnOneInstanceWakesForAnEnqueueOnAnother() throws Exception {
    if (!postgres()) return;
    startQueues();
    Bus second = startSecondInstance();
    for (int round = 0; round < 3; round++) {
      Future<JsonObject> waiting = waiting(local(), "t", 1, 10_000);
      long id = await(second.send(R, "enqueue", enqueueBody("t", "remote", round))).getLong("id");
      JsonArray jobs = jobsOf(waiting);
      assertEquals(List.of(id), ids(jobs));
      await(second.send(R, "complete", held("t", jobs.getJsonObject(0))));
    }
    // And a retry scheduled through the other instance.
    enqueue(R, "t", "j", 9);
    long start = clock.now();
    JsonObject job = await(second.send(R, "claim", claimBody("t", 1).put("lease_ms", 10_000))).getJsonArray("jobs").getJsonObject(0);
    Future<JsonObject> waiting = waiting(local(), "t", 1, 10_000);
    await(second.send(R, "fail", held("t", job).put("error", "e").put("retry_in_ms", 100)));
    clock.awaitTimerAt(start + 101);
    clock.advance(101);
    JsonArray jobs = jobsOf(waiting);
    assertEquals(job.getLong("id"), jobs.getJsonObject(0).getLong("id"), "woke for the retry, long before the lease's end");
  }
}
