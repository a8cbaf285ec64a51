package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.cli.BridgeClient;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 requests in flight at once, on the bus and on one bridge connection: every one gets a
 * reply or a 503, nothing runs out of memory, and every acknowledged enqueue is stored.
 */
public abstract class FloodTestBase extends ServerTestBase {
  private static final int N = 10_000;

  @BeforeEach
  void startNode() throws Exception {
    startServer();
  }

  private static JsonObject job(int i) {
    return new JsonObject().put("queue", "replication").put("name", "flood").put("payload", i);
  }

  private long ready() throws Exception {
    return call(StoreId.REPLICATOR, "stats", new JsonObject().put("queue", "replication"))
        .getJsonObject("queues").getJsonObject("replication").getLong("ready");
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void tenThousandRequestsAtOnceOnTheBus() throws Exception {
    List<Future<JsonObject>> all = new ArrayList<>(N);
    for (int i = 0; i < N; i++) all.add(request(StoreId.REPLICATOR, "enqueue", job(i)));
    await(Future.join(all).otherwiseEmpty());
    int ok = 0;
    for (Future<JsonObject> f : all) {
      if (f.succeeded()) ok++;
      else assertEquals(503, ((ReplyException) f.cause()).failureCode(), f.cause().getMessage());
    }
    assertTrue(ok > 0);
    assertEquals(ok, ready(), "every acknowledged enqueue is stored");
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void tenThousandPipelinedFramesOnOneBridgeConnection() throws Exception {
    try (BridgeClient client = new BridgeClient("127.0.0.1", config.bridgePort(), 60_000)) {
      // The writer does not wait for replies: the bridge must push back rather than buffer all of it.
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < N; i++) {
            client.write(new JsonObject().put("type", "send").put("address", StoreId.REPLICATOR.address())
                .put("replyAddress", "f").put("headers", new JsonObject().put("action", "enqueue")).put("body", job(i)));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      int ok = 0;
      for (int i = 0; i < N; i++) {
        JsonObject reply = client.read();
        if ("message".equals(reply.getString("type"))) ok++;
        else assertEquals(503, reply.getInteger("failureCode"), reply.encode());
      }
      writer.get(60, TimeUnit.SECONDS);
      assertEquals(ok, ready(), "every acknowledged enqueue is stored");
    }
  }
}
