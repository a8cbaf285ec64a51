package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leases and receipts: expiry redelivers with a new receipt (checklist 5–7), a stale receipt gets
 * 409 and changes nothing, an unknown job 404, and extend sets now + lease (checklist 11).
 */
public abstract class LeaseTestBase extends QueueTestBase {

  /** Lets the 300 ms lease of {@code slow} run out, then claims the job again. */
  private JsonObject claimAgain(String queue) throws Exception {
    return claimAgain(queue, null);
  }

  private JsonObject claimAgain(String queue, Integer leaseMs) throws Exception {
    clock.advance(300);
    JsonObject body = claimBody(queue, 10);
    if (leaseMs != null) body.put("lease_ms", leaseMs);
    JsonArray got = call(R, "claim", body).getJsonArray("jobs");
    assertEquals(1, got.size(), got.encode());
    return got.getJsonObject(0);
  }

  @Test
  void expiredLeaseRedeliversWithTheNextAttemptAndANewReceipt() throws Exception {
    startQueues();
    long id = enqueue(R, "slow", "j", new JsonObject().put("k", "v"));
    JsonObject first = claimOne(R, "slow");
    assertEquals(0, claim(R, "slow", 10).size(), "not redelivered during the lease");
    clock.advance(299);
    assertEquals(0, claim(R, "slow", 10).size(), "not redelivered before the 300ms lease ends");
    clock.advance(1);
    JsonObject second = claimOne(R, "slow");
    assertEquals(id, second.getLong("id"));
    assertEquals(2, second.getInteger("attempt"));
    assertEquals(first.getJsonObject("payload"), second.getJsonObject("payload"));
    assertEquals(first.getLong("enqueued_at"), second.getLong("enqueued_at"));
    assertNotEquals(first.getString("receipt"), second.getString("receipt"));
    JsonObject third = claimAgain("slow");
    assertEquals(3, third.getInteger("attempt"));
    assertNotEquals(second.getString("receipt"), third.getString("receipt"));
    assertEquals(new JsonObject().put("completed", 1), complete(R, "slow", third));
  }

  @Test
  void staleReceiptGetsConflictAndChangesNothing() throws Exception {
    startQueues();
    enqueue(R, "slow", "j", 1);
    JsonObject first = claimOne(R, "slow");
    JsonObject second = claimAgain("slow", 30_000);
    JsonObject statsBefore = stats(R, "slow");
    assertEquals(counts(0, 0, 1, 0, 0), statsBefore);

    assertCode(409, callFails(R, "extend", held("slow", first).put("lease_ms", 60_000)), "receipt");
    assertCode(409, callFails(R, "complete", held("slow", first)), "receipt");
    assertCode(409, callFails(R, "fail", held("slow", first).put("error", "late")), "receipt");
    assertCode(409, callFails(R, "fail", held("slow", first).put("error", "late").put("permanent", true)), "receipt");
    JsonObject batch = call(R, "complete", new JsonObject().put("queue", "slow")
        .put("items", new JsonArray().add(new JsonObject().put("id", first.getLong("id")).put("receipt", first.getString("receipt")))));
    assertEquals(0, batch.getInteger("completed"));
    assertEquals(new JsonArray().add(first.getLong("id")), batch.getJsonArray("stale"));

    assertEquals(statsBefore, stats(R, "slow"), "the stale requests changed nothing");
    assertEquals(0, deadList(R, "slow").size());
    // The current holder is unaffected: its lease was not extended by the stale extend, and it completes.
    assertEquals(new JsonObject().put("completed", 1), complete(R, "slow", second));
    // Once completed, the job is gone: 404 for every receipt.
    assertCode(404, callFails(R, "complete", held("slow", second)), String.valueOf(second.getLong("id")));
    assertCode(404, callFails(R, "extend", held("slow", first).put("lease_ms", 1000)), null);
    assertEquals(counts(0, 0, 0, 0, 1), stats(R, "slow"));
  }

  @Test
  void staleExtendDoesNotProlongTheCurrentLease() throws Exception {
    startQueues();
    enqueue(R, "slow", "j", 1);
    JsonObject first = claimOne(R, "slow");
    JsonObject second = claimAgain("slow");
    assertCode(409, callFails(R, "extend", held("slow", first).put("lease_ms", 60_000)), "receipt");
    JsonObject third = claimAgain("slow");
    assertEquals(3, third.getInteger("attempt"), "the 300ms lease of attempt 2 still ran out");
    assertCode(409, callFails(R, "complete", held("slow", second)), "receipt");
    complete(R, "slow", third);
  }

  @Test
  void unknownJobGetsNotFound() throws Exception {
    startQueues();
    long id = enqueue(R, "t", "j", 1);
    JsonObject job = call(R, "claim", claimBody("t", 1).put("lease_ms", 30_000)).getJsonArray("jobs").getJsonObject(0);
    JsonObject before = allStats();
    long missing = id + 1000;
    JsonObject gone = new JsonObject().put("queue", "t").put("id", missing).put("receipt", job.getString("receipt"));
    assertCode(404, callFails(R, "extend", gone.copy().put("lease_ms", 1000)), String.valueOf(missing));
    assertCode(404, callFails(R, "complete", gone), String.valueOf(missing));
    assertCode(404, callFails(R, "fail", gone.copy().put("error", "x")), String.valueOf(missing));
    // The job exists, but not in that queue.
    assertCode(404, callFails(R, "complete", held("t-other", job)), String.valueOf(id));
    // Ids may also travel as decimal strings.
    assertCode(404, callFails(R, "complete", gone.copy().put("id", String.valueOf(missing))), String.valueOf(missing));
    assertEquals(before, allStats());
    JsonObject batch = call(R, "complete", new JsonObject().put("queue", "t")
        .put("items", new JsonArray().add(new JsonObject().put("id", missing).put("receipt", "r"))
            .add(new JsonObject().put("id", String.valueOf(id)).put("receipt", job.getString("receipt")))));
    assertEquals(1, batch.getInteger("completed"));
    assertEquals(new JsonArray().add(missing), batch.getJsonArray("stale"));
  }

  @Test
  void extendSetsNowPlusLease() throws Exception {
    startQueues();
    enqueue(R, "slow", "j", 1);
    JsonObject job = claimOne(R, "slow");
    clock.advance(150);
    long visibleAt = call(R, "extend", held("slow", job).put("lease_ms", 1500)).getLong("visible_at");
    assertEquals(clock.now() + 1500, visibleAt, "visible_at = now + 1500");
    clock.advance(400);
    assertEquals(0, claim(R, "slow", 10).size(), "the original 300ms lease no longer applies");
    assertEquals(counts(0, 0, 1, 0, 0), stats(R, "slow"));
    // A shorter extension shortens the lease too: now + lease, not the old deadline + lease.
    visibleAt = call(R, "extend", held("slow", job).put("lease_ms", 100)).getLong("visible_at");
    assertEquals(clock.now() + 100, visibleAt, "visible_at = now + 100");
    clock.advance(100);
    JsonObject again = claimOne(R, "slow");
    assertEquals(2, again.getInteger("attempt"), "extend does not count as an attempt; claimed before the earlier 1500ms deadline");
  }

  @Test
  void claimLeaseOverridesTheQueueLease() throws Exception {
    startQueues();
    enqueue(R, "t", "j", 1);
    JsonObject job = call(R, "claim", claimBody("t", 1).put("lease_ms", 5000)).getJsonArray("jobs").getJsonObject(0);
    clock.advance(4_999);
    assertEquals(0, claim(R, "t", 10).size(), "held for lease_ms, not the queue's 300ms");
    complete(R, "t", job);
    assertEquals(List.of(), ids(claim(R, "t", 10)));
  }

  @Test
  void completeAndFailAfterTheLeaseRanOutStillWorkWhileNobodyElseHoldsTheJob() throws Exception {
    startQueues();
    JsonArray jobs = claimedTogether(R, "slow", "a", "b");
    clock.advance(450);
    assertEquals(new JsonObject().put("completed", 1), complete(R, "slow", jobs.getJsonObject(0)));
    assertEquals("scheduled", call(R, "fail", held("slow", jobs.getJsonObject(1)).put("error", "e").put("retry_in_ms", 0))
        .getString("state"));
    JsonObject again = claimOne(R, "slow");
    assertEquals(jobs.getJsonObject(1).getLong("id"), again.getLong("id"));
    assertEquals(2, again.getInteger("attempt"));
  }

  @Test
  void receiptOfAFailedAttemptIsNoLongerCurrent() throws Exception {
    startQueues();
    enqueue(R, "slow", "j", 1);
    JsonObject job = claimOne(R, "slow");
    assertEquals("scheduled", call(R, "fail", held("slow", job).put("error", "e").put("retry_in_ms", 60_000)).getString("state"));
    ReplyException e = callFails(R, "complete", held("slow", job));
    assertCode(409, e, "receipt");
    assertCode(409, callFails(R, "extend", held("slow", job).put("lease_ms", 1000)), "receipt");
    assertCode(409, callFails(R, "fail", held("slow", job).put("error", "again")), "receipt");
    assertEquals(counts(0, 1, 0, 0, 0), stats(R, "slow"));
  }
}
