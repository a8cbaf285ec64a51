package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input: each request is a 400 naming the field at fault (404 for an unknown job), and no
 * rejected request changes anything stored (contract §4, checklist 2).
 */
public abstract class BadInputTestBase extends QueueTestBase {
  /** A job held by a claim, so that state-changing requests have something to change. */
  private JsonObject heldJob;

  @BeforeEach
  void startWithOneHeldAndOneReadyJob() throws Exception {
    startQueues();
    enqueue(R, "t", "held", 1);
    heldJob = call(R, "claim", claimBody("t", 1).put("lease_ms", 60_000)).getJsonArray("jobs").getJsonObject(0);
    enqueue(R, "t", "ready", 2);
    enqueue(R, "t", "dead", 3);
    JsonObject dead = call(R, "claim", claimBody("t", 1).put("lease_ms", 60_000)).getJsonArray("jobs").getJsonObject(0);
    call(R, "fail", held("t", dead).put("error", "e").put("permanent", true));
  }

  /** Sends a request that must fail with {@code code}, naming {@code field}, and change nothing. */
  private void rejected(StoreId store, String action, JsonObject body, int code, String field) throws Exception {
    JsonObject before = allStats();
    JsonArray deadBefore = deadList(R, "t");
    ReplyException e = callFails(store, action, body);
    assertCode(code, e, field);
    assertEquals(before, allStats(), action + " " + body.encode() + " changed nothing");
    assertEquals(deadBefore, deadList(R, "t"));
  }

  private void invalid(String action, JsonObject body, String field) throws Exception {
    rejected(R, action, body, 400, field);
  }

  private JsonObject heldBody() {
    return held("t", heldJob);
  }

  @Test
  void unknownQueueOrAQueueOfAnotherStore() throws Exception {
    invalid("enqueue", enqueueBody("nope", "j", 1), "'queue'");
    invalid("enqueue", enqueueBody("aggregator", "j", 1), "'queue'");
    invalid("enqueue", new JsonObject().put("name", "j").put("payload", 1), "'queue'");
    invalid("enqueue", enqueueBody("t", "j", 1).put("queue", 7), "'queue'");
    invalid("enqueue-batch", new JsonObject().put("queue", "manager").put("jobs", new JsonArray().add(job("j", 1))), "'queue'");
    invalid("claim", claimBody("egress-tracker", 1), "'queue'");
    invalid("stats", new JsonObject().put("queue", "compute_commp"), "'queue'");
    invalid("dead-list", new JsonObject().put("queue", "nope"), "'queue'");
    rejected(A, "claim", claimBody("replication", 1), 400, "'queue'");
    rejected(E, "dead-requeue", new JsonObject().put("queue", "t").put("all", true), 400, "'queue'");
  }

  @Test
  void badJobFields() throws Exception {
    invalid("enqueue", new JsonObject().put("queue", "t").put("payload", 1), "'name'");
    invalid("enqueue", enqueueBody("t", "", 1), "'name'");
    invalid("enqueue", enqueueBody("t", "has space", 1), "'name'");
    invalid("enqueue", enqueueBody("t", "x".repeat(129), 1), "'name'");
    invalid("enqueue", enqueueBody("t", "j", 1).put("name", 5), "'name'");
    invalid("enqueue", new JsonObject().put("queue", "t").put("name", "j"), "'payload'");
    invalid("enqueue", enqueueBody("t", "j", 1).put("payload_base64", "AA=="), "'payload_base64'");
    invalid("enqueue", new JsonObject().put("queue", "t").put("name", "j").put("payload_base64", "not base64!"), "'payload_base64'");
    invalid("enqueue", new JsonObject().put("queue", "t").put("name", "j").put("payload_base64", 12), "'payload_base64'");
    invalid("enqueue", enqueueBody("t", "j", 1).put("delay_ms", -1), "'delay_ms'");
    invalid("enqueue", enqueueBody("t", "j", 1).put("delay_ms", "10"), "'delay_ms'");
    invalid("enqueue", enqueueBody("t", "j", 1).put("delay_ms", 1.5), "'delay_ms'");
    rejected(A, "enqueue", enqueueBody("aggregator", "j", 1).put("dedupe_key", ""), 400, "'dedupe_key'");
    invalid("enqueue", enqueueBody("t", "j", 1).put("priority", 1), "'priority'");
  }

  @Test
  void badBatches() throws Exception {
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 1001; i++) tooMany.add(job("j", i));
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", tooMany), "'jobs'");
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", new JsonArray()), "'jobs'");
    invalid("enqueue-batch", new JsonObject().put("queue", "t"), "'jobs'");
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", job("j", 1)), "'jobs'");
    JsonArray oneBad = new JsonArray().add(job("a", 1)).add(job("b", 2)).add(new JsonObject().put("payload", 3));
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", oneBad), "'jobs[2].name'");
    JsonArray notObject = new JsonArray().add(job("a", 1)).add("b");
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", notObject), "'jobs[1]'");
    JsonArray badDelay = new JsonArray().add(job("a", 1)).add(job("b", 2).put("delay_ms", -5));
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", badDelay), "'jobs[1].delay_ms'");
    JsonArray badName = new JsonArray().add(job("a", 1)).add(job("b", 2).put("name", 3));
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", badName), "'jobs[1].name'");
    JsonArray unknownField = new JsonArray().add(job("a", 1).put("queue", "t"));
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", unknownField), "'jobs[0].queue'");
    // Exactly 1000 is fine.
    JsonArray full = new JsonArray();
    for (int i = 0; i < 1000; i++) full.add(job("j", i));
    assertEquals(1000, call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", full)).getJsonArray("ids").size());
  }

  @Test
  void badClaims() throws Exception {
    invalid("claim", claimBody("t", 0), "'max'");
    invalid("claim", claimBody("t", 1001), "'max'");
    invalid("claim", claimBody("t", 1).put("max", "5"), "'max'");
    invalid("claim", claimBody("t", 1).put("wait_ms", 30_001), "'wait_ms'");
    invalid("claim", claimBody("t", 1).put("wait_ms", -1), "'wait_ms'");
    invalid("claim", claimBody("t", 1).put("lease_ms", 99), "'lease_ms'");
    invalid("claim", claimBody("t", 1).put("lease_ms", 0), "'lease_ms'");
    invalid("claim", claimBody("t", 1).put("receipt", "x"), "'receipt'");
    assertEquals(1, call(R, "claim", claimBody("t", 1000).put("wait_ms", 0).put("lease_ms", 100)).getJsonArray("jobs").size(),
        "the edges of the ranges are accepted");
  }

  @Test
  void badIdsAndReceipts() throws Exception {
    for (String action : List.of("extend", "complete", "fail")) {
      JsonObject extra = switch (action) {
        case "extend" -> new JsonObject().put("lease_ms", 1000);
        case "fail" -> new JsonObject().put("error", "e");
        default -> new JsonObject();
      };
      invalid(action, heldBody().mergeIn(extra).put("id", "abc"), "'id'");
      invalid(action, heldBody().mergeIn(extra).put("id", 1.5), "'id'");
      invalid(action, heldBody().mergeIn(extra).put("id", "12x"), "'id'");
      JsonObject noId = heldBody().mergeIn(extra);
      noId.remove("id");
      invalid(action, noId, "'id'");
      JsonObject noReceipt = heldBody().mergeIn(extra);
      noReceipt.remove("receipt");
      invalid(action, noReceipt, "'receipt'");
      invalid(action, heldBody().mergeIn(extra).put("receipt", 5), "'receipt'");
      rejected(R, action, heldBody().mergeIn(extra).put("id", 987_654_321L), 404, "987654321");
      rejected(R, action, heldBody().mergeIn(extra).put("receipt", "not-the-receipt"), 409, "receipt");
    }
    invalid("extend", heldBody(), "'lease_ms'");
    invalid("extend", heldBody().put("lease_ms", 50), "'lease_ms'");
    invalid("fail", heldBody(), "'error'");
    invalid("fail", heldBody().put("error", 5), "'error'");
    invalid("fail", heldBody().put("error", "e").put("retry_in_ms", -1), "'retry_in_ms'");
    invalid("fail", heldBody().put("error", "e").put("permanent", "yes"), "'permanent'");
    invalid("complete", heldBody().put("items", new JsonArray()), "'items'");
    JsonObject items = new JsonObject().put("queue", "t");
    invalid("complete", items.copy().put("items", new JsonArray().add(new JsonObject().put("id", heldJob.getLong("id")))),
        "'items[0].receipt'");
    invalid("complete", items.copy().put("items", new JsonArray().add(new JsonObject().put("id", "x").put("receipt", "r"))),
        "'items[0].id'");
    invalid("complete", items.copy().put("items", new JsonArray().add("x")), "'items[0]'");
    // One bad item: none of the good ones is completed.
    JsonArray mixed = new JsonArray().add(new JsonObject().put("id", heldJob.getLong("id")).put("receipt", heldJob.getString("receipt")))
        .add(new JsonObject().put("id", -1.5).put("receipt", "r"));
    invalid("complete", items.copy().put("items", mixed), "'items[1].id'");
  }

  /** A job completes once: naming it twice in one request is the caller's mistake. */
  @Test
  void aJobNamedTwiceInItemsIsRefused() throws Exception {
    JsonObject item = new JsonObject().put("id", heldJob.getLong("id")).put("receipt", heldJob.getString("receipt"));
    JsonObject other = new JsonObject().put("id", 987_654_321L).put("receipt", "r");
    invalid("complete", new JsonObject().put("queue", "t").put("items", new JsonArray().add(item).add(item.copy())), "'items[1].id'");
    invalid("complete", new JsonObject().put("queue", "t").put("items", new JsonArray().add(item).add(other)
        .add(item.copy().put("id", String.valueOf(heldJob.getLong("id"))).put("receipt", "another"))), "'items[2].id'");
    assertEquals(new JsonObject().put("completed", 1).put("stale", new JsonArray()),
        call(R, "complete", new JsonObject().put("queue", "t").put("items", new JsonArray().add(item))));
  }

  @Test
  void badDeadLetterRequests() throws Exception {
    invalid("dead-list", new JsonObject().put("queue", "t").put("limit", 0), "'limit'");
    invalid("dead-list", new JsonObject().put("queue", "t").put("limit", 1001), "'limit'");
    invalid("dead-list", new JsonObject().put("queue", "t").put("after_id", "x"), "'after_id'");
    for (String action : List.of("dead-requeue", "dead-purge")) {
      invalid(action, new JsonObject().put("queue", "t"), "'ids'");
      invalid(action, new JsonObject().put("queue", "t").put("ids", new JsonArray()), "'ids'");
      invalid(action, new JsonObject().put("queue", "t").put("ids", new JsonArray().add("x")), "'ids[0]'");
      invalid(action, new JsonObject().put("queue", "t").put("ids", new JsonArray().add(1)).put("all", true), "'ids'");
      invalid(action, new JsonObject().put("queue", "t").put("all", "yes"), "'all'");
      JsonArray tooMany = new JsonArray();
      for (int i = 0; i < 1001; i++) tooMany.add(i + 1);
      invalid(action, new JsonObject().put("queue", "t").put("ids", tooMany), "'ids'");
      // One bad id among good ones: nothing is requeued or purged.
      long deadId = deadList(R, "t").getJsonObject(0).getLong("id");
      invalid(action, new JsonObject().put("queue", "t").put("ids", new JsonArray().add(deadId).add("bad")), "'ids[1]'");
    }
  }

  @Test
  void oversizeBodyIsRejectedNamingTheLimit() throws Exception {
    int limit = config.maxBodyBytes();
    invalid("enqueue", enqueueBody("t", "big", "x".repeat(limit)), "max_body_bytes");
    String b64 = java.util.Base64.getEncoder().encodeToString(new byte[limit]);
    invalid("enqueue", new JsonObject().put("queue", "t").put("name", "big").put("payload_base64", b64), "max_body_bytes");
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < 20; i++) jobs.add(job("big", "y".repeat(limit / 16)));
    invalid("enqueue-batch", new JsonObject().put("queue", "t").put("jobs", jobs), "max_body_bytes");
    // Just under the limit is accepted.
    String fits = "z".repeat(limit - 200);
    assertTrue(call(R, "enqueue", enqueueBody("t", "fits", fits)).getLong("id") > 0);
    assertEquals(fits, claimAll("fits"));
  }

  private String claimAll(String name) throws Exception {
    JsonArray jobs = claim(R, "t", 1000);
    for (int i = 0; i < jobs.size(); i++) {
      if (name.equals(jobs.getJsonObject(i).getString("name"))) return jobs.getJsonObject(i).getString("payload");
    }
    return null;
  }

  @Test
  void unknownFieldsAreNamed() throws Exception {
    invalid("enqueue", enqueueBody("t", "j", 1).put("ttl", 5), "'ttl'");
    invalid("claim", claimBody("t", 1).put("names", new JsonArray()), "'names'");
    invalid("extend", heldBody().put("lease_ms", 1000).put("extra", 1), "'extra'");
    invalid("complete", heldBody().put("error", "e"), "'error'");
    invalid("fail", heldBody().put("error", "e").put("reason", "x"), "'reason'");
    invalid("stats", new JsonObject().put("store", "replicator"), "'store'");
    invalid("dead-list", new JsonObject().put("queue", "t").put("offset", 3), "'offset'");
  }

  /**
   * Requests that fail change nothing, even when they reach the store together with requests that
   * succeed (on SQLite they share one group-commit transaction).
   */
  @Test
  void failedRequestsAmongGoodOnesChangeNothing() throws Exception {
    JsonObject before = stats(R, "t");
    List<Future<JsonObject>> good = new ArrayList<>();
    List<Future<JsonObject>> bad = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      good.add(request(R, "enqueue", enqueueBody("t", "good", i)));
      bad.add(request(R, "complete", heldBody().put("receipt", "stale-" + i)));
      bad.add(request(R, "fail", heldBody().put("id", 900_000 + i).put("error", "e").put("permanent", true)));
      bad.add(request(R, "extend", heldBody().put("receipt", "stale").put("lease_ms", 100)));
      bad.add(request(R, "enqueue-batch", new JsonObject().put("queue", "t")
          .put("jobs", new JsonArray().add(job("ok", 1)).add(job("bad name", 2)))));
    }
    Future.join(new ArrayList<Future<?>>(good)).await(30, TimeUnit.SECONDS);
    Future.join(new ArrayList<Future<?>>(bad)).otherwiseEmpty().await(30, TimeUnit.SECONDS);
    for (Future<JsonObject> f : good) assertTrue(f.succeeded(), String.valueOf(f.cause()));
    for (Future<JsonObject> f : bad) assertTrue(f.failed(), "must fail: " + f.result());
    JsonObject after = stats(R, "t");
    assertEquals(before.getLong("ready") + 40, after.getLong("ready"));
    assertEquals(before.getLong("running"), after.getLong("running"));
    assertEquals(before.getLong("dead"), after.getLong("dead"));
    assertEquals(new JsonObject().put("completed", 1), complete(R, "t", heldJob), "the held job's receipt still works");
  }
}
