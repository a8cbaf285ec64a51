package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dedupe (spec §3.7, checklist 19–23, and the atomicity fix of §14.2), on the built-in
 * {@code aggregator} queue (dedupe on, repeats after dead-letter allowed) and on {@code dd}
 * (dedupe on, dead-lettered keys blocked too).
 */
public abstract class DedupeTestBase extends QueueTestBase {
  private static final String AGG = "aggregator";
  private static final String DD = "dd";

  private JsonObject send(String queue, String name, Object payload) throws Exception {
    return call(A, "enqueue", enqueueBody(queue, name, payload));
  }

  private static void assertAccepted(JsonObject r) {
    assertEquals(false, r.getBoolean("duplicate"), r.encode());
    assertNotNull(r.getLong("id"), r.encode());
  }

  private static void assertSkipped(JsonObject r) {
    assertEquals(true, r.getBoolean("duplicate"), r.encode());
    assertNull(r.getValue("id"), r.encode());
  }

  private long live(String queue) throws Exception {
    JsonObject s = stats(A, queue);
    return s.getLong("ready") + s.getLong("scheduled") + s.getLong("running");
  }

  @Test
  void liveDuplicateIsSkippedWhetherPendingInFlightOrScheduled() throws Exception {
    startQueues();
    for (String q : List.of(AGG, DD)) {
      JsonObject piece = new JsonObject().put("/", "bafkzcibpiece-" + q);
      JsonObject first = send(q, "aggregate_piece", piece);
      assertAccepted(first);
      assertSkipped(send(q, "aggregate_piece", piece));
      JsonObject job = claimOne(A, q);
      assertEquals(first.getLong("id"), job.getLong("id"));
      assertSkipped(send(q, "aggregate_piece", piece));
      call(A, "fail", held(q, job).put("error", "e").put("retry_in_ms", 60_000));
      assertSkipped(send(q, "aggregate_piece", piece));
      assertEquals(1, live(q), q + " holds one job");
    }
  }

  @Test
  void completedKeyIsSkippedForever() throws Exception {
    startQueues();
    for (String q : List.of(AGG, DD)) {
      JsonObject piece = new JsonObject().put("/", "done-" + q);
      assertAccepted(send(q, "aggregate_piece", piece));
      complete(A, q, claimOne(A, q));
      assertSkipped(send(q, "aggregate_piece", piece));
      assertEquals(0, live(q));
    }
  }

  @Test
  void queueWithoutDedupeAcceptsRepeats() throws Exception {
    startQueues();
    JsonObject mh = new JsonObject().put("mh", "1220abcd");
    long first = enqueue(A, "compute_commp", "compute_commp", mh);
    complete(A, "compute_commp", claimOne(A, "compute_commp"));
    long second = enqueue(A, "compute_commp", "compute_commp", mh);
    assertTrue(second != first);
    // Classic queues (Piri's replication, egress, commp and manager) never deduplicated: a live
    // copy of the same payload is a second job too.
    long third = enqueue(A, "compute_commp", "compute_commp", mh);
    assertTrue(third != second);
    assertEquals(2, live("compute_commp"));
  }

  @Test
  void deadLetteredKeyIsBlockedWhenBlockRepeatsOnDeadIsOn() throws Exception {
    startQueues();
    JsonObject p = new JsonObject().put("/", "poison");
    assertAccepted(send(DD, "aggregate_piece", p));
    call(A, "fail", held(DD, claimOne(A, DD)).put("error", "bad piece").put("permanent", true));
    assertSkipped(send(DD, "aggregate_piece", p));
    // Dead-lettered after max_attempts (2) blocks too.
    JsonObject q = new JsonObject().put("/", "flaky");
    assertAccepted(send(DD, "aggregate_piece", q));
    call(A, "fail", held(DD, claimOne(A, DD)).put("error", "e1").put("retry_in_ms", 0));
    call(A, "fail", held(DD, claimOne(A, DD)).put("error", "e2"));
    assertSkipped(send(DD, "aggregate_piece", q));
    assertEquals(2, stats(A, DD).getLong("dead"));
    // An operator's requeue lifts the block: the job is live again (and so skips repeats as live).
    assertEquals(2, call(A, "dead-requeue", new JsonObject().put("queue", DD).put("all", true)).getInteger("requeued"));
    assertEquals(2, live(DD));
    assertSkipped(send(DD, "aggregate_piece", p));
    JsonArray back = claim(A, DD, 10);
    assertEquals(2, back.size());
    for (int i = 0; i < 2; i++) complete(A, DD, back.getJsonObject(i));
    assertSkipped(send(DD, "aggregate_piece", p));
    assertSkipped(send(DD, "aggregate_piece", q));
  }

  @Test
  void deadLetteredKeyIsAcceptedAgainWhenBlockRepeatsOnDeadIsOff() throws Exception {
    startQueues();
    JsonObject p = new JsonObject().put("/", "retry-me");
    long first = send(AGG, "aggregate_piece", p).getLong("id");
    call(A, "fail", held(AGG, claimOne(A, AGG)).put("error", "bad").put("permanent", true));
    JsonObject again = send(AGG, "aggregate_piece", p);
    assertAccepted(again);
    assertTrue(again.getLong("id") > first);
    assertSkipped(send(AGG, "aggregate_piece", p));
    // A requeue of the dead copy while the new one is live leaves one live job.
    call(A, "dead-requeue", new JsonObject().put("queue", AGG).put("all", true));
    assertEquals(1, live(AGG));
    complete(A, AGG, claimOne(A, AGG));
    assertSkipped(send(AGG, "aggregate_piece", p));
  }

  @Test
  void namesAndQueuesAreIndependentNamespaces() throws Exception {
    startQueues();
    JsonObject p = new JsonObject().put("/", "same");
    for (String q : List.of(AGG, DD)) {
      assertAccepted(send(q, "aggregate_piece", p));
      assertAccepted(send(q, "other_name", p));
      assertSkipped(send(q, "other_name", p));
    }
    assertEquals(2, live(AGG));
    assertEquals(2, live(DD));
    // Completing one name does not block the other.
    JsonArray jobs = claim(A, AGG, 10);
    complete(A, AGG, jobs.getJsonObject(0));
    assertSkipped(send(AGG, jobs.getJsonObject(0).getString("name"), p));
    assertSkipped(send(AGG, jobs.getJsonObject(1).getString("name"), p));
    complete(A, AGG, jobs.getJsonObject(1));
    assertSkipped(send(AGG, jobs.getJsonObject(1).getString("name"), p));
  }

  @Test
  void explicitDedupeKeyReplacesThePayloadHash() throws Exception {
    startQueues();
    assertAccepted(call(A, "enqueue", enqueueBody(AGG, "n", new JsonObject().put("v", 1)).put("dedupe_key", "k1")));
    assertSkipped(call(A, "enqueue", enqueueBody(AGG, "n", new JsonObject().put("v", 2)).put("dedupe_key", "k1")));
    assertAccepted(call(A, "enqueue", enqueueBody(AGG, "n", new JsonObject().put("v", 1)).put("dedupe_key", "k2")));
    assertAccepted(call(A, "enqueue", enqueueBody(AGG, "n", new JsonObject().put("v", 1))));
    assertAccepted(call(A, "enqueue", enqueueBody(AGG, "m", new JsonObject().put("v", 1)).put("dedupe_key", "k1")));
    // Binary payloads dedupe on their bytes.
    JsonObject bin = new JsonObject().put("queue", AGG).put("name", "b").put("payload_base64", "AQID");
    assertAccepted(call(A, "enqueue", bin));
    assertSkipped(call(A, "enqueue", bin.copy()));
    assertAccepted(call(A, "enqueue", bin.copy().put("payload_base64", "AQIE")));
    assertEquals(6, live(AGG));
  }

  @Test
  void batchReportsDuplicatesPerJob() throws Exception {
    startQueues();
    send(AGG, "aggregate_piece", new JsonObject().put("/", "already"));
    JsonArray jobs = new JsonArray()
        .add(job("aggregate_piece", new JsonObject().put("/", "p1")))
        .add(job("aggregate_piece", new JsonObject().put("/", "p1")))
        .add(job("aggregate_piece", new JsonObject().put("/", "already")))
        .add(job("aggregate_piece", new JsonObject().put("/", "p2")));
    JsonObject r = call(A, "enqueue-batch", new JsonObject().put("queue", AGG).put("jobs", jobs));
    assertEquals(new JsonArray().add(false).add(true).add(true).add(false), r.getJsonArray("duplicates"));
    JsonArray ids = r.getJsonArray("ids");
    assertNotNull(ids.getLong(0));
    assertNull(ids.getValue(1));
    assertNull(ids.getValue(2));
    assertNotNull(ids.getLong(3));
    assertEquals(3, live(AGG));
  }

  @Test
  void concurrentEnqueuesOfOneKeyMakeOneJob() throws Exception {
    startQueues();
    for (String q : List.of(AGG, DD)) {
      List<Future<JsonObject>> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) all.add(request(A, "enqueue", enqueueBody(q, "aggregate_piece", new JsonObject().put("/", "hot"))));
      Future.all(all).await(30, TimeUnit.SECONDS);
      long accepted = all.stream().filter(f -> !f.result().getBoolean("duplicate")).count();
      assertEquals(1, accepted, q + ": exactly one enqueue of 20 made a job");
      assertEquals(1, live(q));
    }
  }

  /**
   * Spec §14.2: Piri's check-then-insert let a completion slip between the two, leaving the key
   * both done and live. Here every enqueue racing a completion of the same key must be skipped:
   * before the completion commits the key is live, after it the key is done.
   */
  @Test
  void enqueueRacingACompletionOfTheSameKeyIsAlwaysSkipped() throws Exception {
    startQueues();
    raceCompletions(local(), local(), 25);
  }

  @Test
  void twoInstancesEnqueueingOneKeyMakeOneJob() throws Exception {
    if (!postgres()) return;
    startQueues();
    Bus second = startSecondInstance();
    for (String q : List.of(AGG, DD)) {
      for (int round = 0; round < 5; round++) {
        List<Future<JsonObject>> all = new ArrayList<>();
        JsonObject body = enqueueBody(q, "aggregate_piece", new JsonObject().put("/", "hot-" + round));
        for (int i = 0; i < 10; i++) {
          all.add(local().send(A, "enqueue", body.copy()));
          all.add(second.send(A, "enqueue", body.copy()));
        }
        Future.all(all).await(30, TimeUnit.SECONDS);
        assertEquals(1, all.stream().filter(f -> !f.result().getBoolean("duplicate")).count(), q + " round " + round);
      }
      assertEquals(5, live(q));
    }
    raceCompletions(local(), second, 15);
  }

  private void raceCompletions(Bus completer, Bus enqueuer, int rounds) throws Exception {
    for (String q : List.of(AGG, DD)) {
      long liveBefore = live(q);
      for (int round = 0; round < rounds; round++) {
        JsonObject body = enqueueBody(q, "race", new JsonObject().put("/", "race-" + round));
        assertEquals(false, await(completer.send(A, "enqueue", body.copy())).getBoolean("duplicate"));
        JsonObject job = await(completer.send(A, "claim", claimBody(q, 1))).getJsonArray("jobs").getJsonObject(0);
        List<Future<JsonObject>> all = new ArrayList<>();
        for (int i = 0; i < 3; i++) all.add(enqueuer.send(A, "enqueue", body.copy()));
        Future<JsonObject> done = completer.send(A, "complete", held(q, job));
        for (int i = 0; i < 3; i++) all.add(enqueuer.send(A, "enqueue", body.copy()));
        assertEquals(1, await(done).getInteger("completed"));
        Future.all(all).await(30, TimeUnit.SECONDS);
        for (Future<JsonObject> f : all) assertSkipped(f.result());
      }
      assertEquals(liveBefore, live(q), q + ": no key is both done and live");
    }
  }
}
