package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piri.db.support.TestBackend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PostgresRollupsTest extends RollupsTestBase {
  @Override
  protected TestBackend backend() {
    return TestBackend.postgres();
  }

  /** Two instances on one database: their shares of a minute add up in one row. */
  @Test
  void twoInstancesMergeIntoOneRowPerMinute() throws Exception {
    startServer(rollupConfig(null));
    Vertx second = startSecondNode(rollupConfig(null));
    Bus other = (store, action, body) -> request(second, store, action, body);
    long a = nextMinute(1_000);
    enqueue(R, "t", "j", 1);
    enqueue(R, "t", "j", 2);
    for (int i = 0; i < 3; i++) await(other.send(R, "enqueue", enqueueBody("t", "j", 10 + i)));
    complete(R, "t", claimOne(R, "t"));
    JsonObject theirs = await(other.send(R, "claim", claimBody("t", 1))).getJsonArray("jobs").getJsonObject(0);
    await(other.send(R, "fail", held("t", theirs).put("error", "e").put("permanent", true)));

    clock.advanceTo(a + MINUTE + 1_000);
    // A read waits for its own instance's write of the minute: the second instance's first.
    JsonArray seenThere = await(other.send(R, "rollups", new JsonObject().put("queue", "t").put("from", a)))
        .getJsonArray("minutes");
    JsonArray rows = rollups("t", a, clock.now());
    assertEquals(1, rows.size(), rows.encode());
    assertCounts(rows.getJsonObject(0), a, 5, 1, 1, 1);
    assertEquals(1, seenThere.size(), seenThere.encode());
  }
}
