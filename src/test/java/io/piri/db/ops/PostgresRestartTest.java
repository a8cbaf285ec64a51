package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.support.ServerTestBase;
import io.piri.db.support.TestBackend;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PostgreSQL restarted under a running node: while it is down requests fail fast with 503; once
 * it is back the pools and the LISTEN connection recover by themselves within 10 s (a waiting
 * claim wakes for a new job again), and no acknowledged job is lost. Uses a PostgreSQL of its own,
 * since it stops and starts it.
 */
class PostgresRestartTest extends ServerTestBase {
  private EmbeddedPostgres pg;

  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }

  @AfterEach
  void stopPostgres() throws Exception {
    if (pg != null) pg.close();
  }

  private EmbeddedPostgres startPostgres(Path dir, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port).start();
  }

  private static JsonObject job(int i) {
    return new JsonObject().put("queue", "replication").put("name", "restart").put("payload", i);
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void failsFastWhileDownAndRecoversWithinTenSeconds() throws Exception {
    Path pgDir = tmp.resolve("pgdata");
    int port = TestBackend.freePort();
    pg = startPostgres(pgDir, port);
    String url = "postgres://postgres:postgres@127.0.0.1:" + port + "/postgres";
    startServer(config.with(tmp.resolve("node"), BackendType.POSTGRES, url));
    int acked = 0;
    for (int i = 0; i < 20; i++, acked++) call(StoreId.REPLICATOR, "enqueue", job(i));

    pg.close();
    pg = null;
    long downAt = System.currentTimeMillis();
    ReplyException down = callFails(StoreId.REPLICATOR, "enqueue", job(-1));
    long failedIn = System.currentTimeMillis() - downAt;
    assertEquals(503, down.failureCode(), down.getMessage());
    assertTrue(failedIn < 15_000, "failed in " + failedIn + " ms");

    pg = startPostgres(pgDir, port);
    long upAt = System.currentTimeMillis();
    while (true) {
      try {
        call(StoreId.REPLICATOR, "enqueue", job(acked));
        acked++;
        break;
      } catch (ReplyException e) {
        assertEquals(503, e.failureCode(), e.getMessage());
        assertTrue(System.currentTimeMillis() - upAt < 10_000, "no recovery within 10 s: " + e.getMessage());
        Thread.sleep(200);
      }
    }

    JsonObject claimAll = new JsonObject().put("queue", "replication").put("max", 1000);
    assertEquals(acked, call(StoreId.REPLICATOR, "claim", claimAll).getJsonArray("jobs").size(), "no acknowledged job lost");

    // The LISTEN connection is back too: a waiting claim wakes for a job enqueued after it.
    long listenDeadline = upAt + 10_000;
    while (true) {
      Future<JsonObject> waiting = request(StoreId.REPLICATOR, "claim",
          new JsonObject().put("queue", "replication").put("max", 1).put("wait_ms", 3000));
      Thread.sleep(100);
      long sent = System.currentTimeMillis();
      call(StoreId.REPLICATOR, "enqueue", job(acked++));
      JsonObject got = await(waiting);
      long wokeIn = System.currentTimeMillis() - sent;
      if (got.getJsonArray("jobs").size() == 1 && wokeIn < 2000) break;
      assertTrue(System.currentTimeMillis() < listenDeadline, "a waiting claim was not woken within 10 s of the restart");
    }
  }
}
