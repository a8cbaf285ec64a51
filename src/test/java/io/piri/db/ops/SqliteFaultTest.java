package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.backend.Database;
import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.piri.db.support.TestBackend;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SQLite file that cannot grow (a full disk): requests get 503 with SQLite's reason, nothing is
 * half-written, and service resumes by itself once there is room again. The fault is made on the
 * store's own connection with max_page_count, since the tests run as root, for whom neither chmod
 * nor a small quota would stop a write.
 */
class SqliteFaultTest extends ServerTestBase {
  private Database db;

  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }

  @BeforeEach
  void start() throws Exception {
    PiriServer server = startServer();
    db = server.database(StoreId.REPLICATOR);
  }

  private void pragma(String sql) throws Exception {
    await(db.write(tx -> tx.run(sql)));
  }

  private static JsonObject batch(int n, int payloadChars) {
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < n; i++) jobs.add(new JsonObject().put("name", "fault").put("payload", "x".repeat(payloadChars) + i));
    return new JsonObject().put("queue", "replication").put("jobs", jobs);
  }

  private long ready() throws Exception {
    return call(StoreId.REPLICATOR, "stats", new JsonObject().put("queue", "replication"))
        .getJsonObject("queues").getJsonObject("replication").getLong("ready");
  }

  @Test
  void fullFileGives503AndNothingHalfWrittenThenResumes() throws Exception {
    call(StoreId.REPLICATOR, "enqueue-batch", batch(5, 10));
    long pages = await(db.write(tx -> tx.run("PRAGMA page_count"))).first().longValue("page_count");
    pragma("PRAGMA max_page_count = " + pages);

    ReplyException e = callFails(StoreId.REPLICATOR, "enqueue-batch", batch(200, 4096));

    assertEquals(503, e.failureCode(), e.getMessage());
    assertTrue(e.getMessage().startsWith("unavailable: store 'replicator': "), e.getMessage());
    assertTrue(e.getMessage().toLowerCase().contains("full"), e.getMessage());
    assertEquals(5, ready(), "the refused batch left no job behind");

    pragma("PRAGMA max_page_count = 1073741823");
    call(StoreId.REPLICATOR, "enqueue-batch", batch(200, 4096));
    assertEquals(205, ready());
  }
}
