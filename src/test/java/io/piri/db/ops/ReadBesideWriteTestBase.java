package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.backend.Database;
import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reads run beside the writes: while a write transaction is held open, the store's reads (stats,
 * jobs, dead-list) are answered, see only what was committed, and the write's own rows appear in
 * the first read after it is acknowledged. On SQLite the write holds the file's single writer, so
 * a read that went through the writer would wait for it; on PostgreSQL reads take another pooled
 * connection.
 */
public abstract class ReadBesideWriteTestBase extends ServerTestBase {
  private static final StoreId R = StoreId.REPLICATOR;
  private static final JsonObject QUEUE = new JsonObject().put("queue", "replication");

  @Test
  void readsAreAnsweredWhileAWriteIsHeldAndSeeItOnceAcknowledged() throws Exception {
    Database db = startServer().database(R);
    for (int i = 0; i < 2; i++) call(R, "enqueue", QUEUE.copy().put("name", "before").put("payload", i));
    String insert = db.sql("queue").get("insert");
    String count = db.sql("queue").get("count-add");
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);

    Future<Void> write = db.write(tx -> {
      long now = clock.now();
      // A job and its count, as the store's enqueue writes them.
      return tx.run(insert, "replication", "held", "{}".getBytes(StandardCharsets.UTF_8), 1, null, now, now, 10, "ready")
          .compose(rows -> tx.run(count, "replication", 1L, 0L, 0L, 0L, 0L))
          .compose(rows -> holdUntil(release, held, db.backend()));
    });
    try {
      assertTrue(held.await(30, TimeUnit.SECONDS), "the write began");
      // A read that waited for the writer would not be answered before the release below: the
      // bounded waits turn that into a failure instead of a hang.
      JsonObject stats = request(R, "stats", QUEUE).await(20, TimeUnit.SECONDS);
      assertEquals(2, ready(stats), "the read sees what was committed and not the write still open: " + stats);
      assertEquals(2, request(R, "jobs", QUEUE.copy().put("state", "ready")).await(20, TimeUnit.SECONDS)
          .getJsonArray("jobs").size());
      assertEquals(0, request(R, "dead-list", QUEUE).await(20, TimeUnit.SECONDS).getJsonArray("jobs").size());
    } finally {
      release.countDown();
    }
    await(write);
    assertEquals(3, ready(call(R, "stats", QUEUE)), "a read after the acknowledged write sees it");
  }

  /**
   * Keeps the transaction open until {@code release}. SQLite runs work on the writer's own thread
   * to its end at once, so the work blocks there (which only the test may do); PostgreSQL's work
   * runs on an event loop and keeps its transaction open with a future that completes later.
   */
  private static Future<Void> holdUntil(CountDownLatch release, CountDownLatch held, BackendType backend) {
    held.countDown();
    if (backend == BackendType.SQLITE) {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Future.succeededFuture();
    }
    return Vertx.currentContext().executeBlocking(() -> release.await(60, TimeUnit.SECONDS), false).mapEmpty();
  }

  private static long ready(JsonObject stats) {
    return stats.getJsonObject("queues").getJsonObject("replication").getLong("ready");
  }
}
