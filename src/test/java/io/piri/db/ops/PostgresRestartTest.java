package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.support.Eventually;
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
 * PostgreSQL restarted under a running node: while it is down requests fail with 503; once it is
 * back the pools and the LISTEN connection recover by themselves (a waiting claim wakes for a new
 * job again), and no acknowledged job is lost. Uses a PostgreSQL of its own, since it stops and
 * starts it. How fast the node recovers is not measured here: the test waits for each event.
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
    ReplyException down = callFails(StoreId.REPLICATOR, "enqueue", job(-1));
    assertEquals(503, down.failureCode(), down.getMessage());

    pg = startPostgres(pgDir, port);
    int next = acked;
    Eventually.until("the pools reconnect: an enqueue is acknowledged", () -> {
      try {
        call(StoreId.REPLICATOR, "enqueue", job(next));
        return true;
      } catch (ReplyException e) {
        assertEquals(503, e.failureCode(), e.getMessage());
        return false;
      }
    });
    acked++;

    JsonObject claimAll = new JsonObject().put("queue", "replication").put("max", 1000);
    assertEquals(acked, call(StoreId.REPLICATOR, "claim", claimAll).getJsonArray("jobs").size(), "no acknowledged job lost");

    // The LISTEN connection is back too: a waiting claim wakes for a job enqueued after it. The
    // clock stands still, so only a notification (or the listener's look-again once it has
    // reconnected, for one sent while it was still down) can answer it.
    long deadline = clock.now() + 30_000;
    Future<JsonObject> waiting = request(StoreId.REPLICATOR, "claim",
        new JsonObject().put("queue", "replication").put("max", 1).put("wait_ms", 30_000));
    clock.awaitTimerAt(deadline);
    call(StoreId.REPLICATOR, "enqueue", job(acked));
    assertEquals(1, await(waiting).getJsonArray("jobs").size());
  }
}
