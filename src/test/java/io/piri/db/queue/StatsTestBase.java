package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piri.db.server.PiriServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** stats: ready, scheduled, running, dead and done per queue, for one queue or every queue of a store. */
public abstract class StatsTestBase extends QueueTestBase {

  @Test
  void countsFollowEveryState() throws Exception {
    startQueues();
    assertEquals(counts(0, 0, 0, 0, 0), stats(R, "slow"));
    for (int i = 0; i < 6; i++) enqueue(R, "slow", "j", i);
    call(R, "enqueue", enqueueBody("slow", "later", 0).put("delay_ms", 60_000));
    assertEquals(counts(6, 1, 0, 0, 0), stats(R, "slow"));

    JsonArray jobs = call(R, "claim", claimBody("slow", 5).put("lease_ms", 60_000)).getJsonArray("jobs");
    assertEquals(counts(1, 1, 5, 0, 0), stats(R, "slow"));
    complete(R, "slow", jobs.getJsonObject(0));
    call(R, "complete", new JsonObject().put("queue", "slow").put("items", new JsonArray()
        .add(new JsonObject().put("id", jobs.getJsonObject(1).getLong("id")).put("receipt", jobs.getJsonObject(1).getString("receipt")))));
    call(R, "fail", held("slow", jobs.getJsonObject(2)).put("error", "e").put("retry_in_ms", 60_000));
    call(R, "fail", held("slow", jobs.getJsonObject(3)).put("error", "e").put("permanent", true));
    assertEquals(counts(1, 2, 1, 1, 2), stats(R, "slow"));
    call(R, "extend", held("slow", jobs.getJsonObject(4)).put("lease_ms", 100));
    clock.advance(100);
    assertEquals(counts(2, 2, 0, 1, 2), stats(R, "slow"), "a job whose lease ran out is ready again");
    call(R, "dead-purge", new JsonObject().put("queue", "slow").put("all", true));
    assertEquals(counts(2, 2, 0, 0, 2), stats(R, "slow"));
  }

  @Test
  void statsWithoutAQueueListsEveryQueueOfTheStore() throws Exception {
    startQueues();
    enqueue(A, "manager", "add_roots", 1);
    JsonObject all = call(A, "stats", null).getJsonObject("queues");
    assertEquals(Set.of("aggregator", "compute_commp", "manager", "dd"), all.fieldNames());
    assertEquals(counts(1, 0, 0, 0, 0), all.getJsonObject("manager"));
    assertEquals(counts(0, 0, 0, 0, 0), all.getJsonObject("aggregator"));
    assertEquals(Set.of("replication", "t", "t-other", "slow"), call(R, "stats", new JsonObject()).getJsonObject("queues").fieldNames());
    assertEquals(Set.of("egress-tracker", "once"), call(E, "stats", null).getJsonObject("queues").fieldNames());
    assertEquals(Set.of("manager"), call(A, "stats", new JsonObject().put("queue", "manager")).getJsonObject("queues").fieldNames());
  }

  @Test
  void doneSurvivesARestart() throws Exception {
    PiriServer server = startQueues();
    for (int i = 0; i < 3; i++) enqueue(R, "t", "j", i);
    JsonArray jobs = claim(R, "t", 3);
    for (int i = 0; i < 3; i++) complete(R, "t", jobs.getJsonObject(i));
    assertEquals(3, stats(R, "t").getLong("done"));
    stopServer(server);
    startServer(backend().sameNode(queueConfig()));
    assertEquals(counts(0, 0, 0, 0, 3), stats(R, "t"));
    enqueue(R, "t", "j", 9);
    complete(R, "t", claimOne(R, "t"));
    assertEquals(4, stats(R, "t").getLong("done"));
  }
}
