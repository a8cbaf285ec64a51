package io.piri.db.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A message a store cannot answer (a publish, which every instance's store receives, or a send
 * without reply address) is refused, logged and ignored: nothing is stored.
 */
public abstract class UnansweredMessageTestBase extends ServerTestBase {
  private static final Logger ROUTER_LOG = Logger.getLogger(ActionRouter.class.getName());
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      warnings.add(r.getLevel() + " " + r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private PiriServer server;

  @BeforeEach
  void start() throws Exception {
    server = startServer();
    ROUTER_LOG.addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    ROUTER_LOG.removeHandler(capture);
  }

  private static JsonObject job() {
    return new JsonObject().put("queue", "replication").put("name", "n").put("payload", new JsonObject().put("k", 1));
  }

  private static DeliveryOptions enqueue() {
    return new DeliveryOptions().addHeader(ActionRouter.ACTION_HEADER, "enqueue");
  }

  @Test
  void aPublishedEnqueueStoresNothing() throws Exception {
    vertx.eventBus().publish(StoreId.REPLICATOR.address(), job(), enqueue());
    assertNothingStored();
    assertTrue(warnings.stream().anyMatch(w -> w.startsWith("WARNING") && w.contains("publish") && w.contains("enqueue")), warnings.toString());
  }

  @Test
  void anEnqueueSentWithoutReplyAddressStoresNothing() throws Exception {
    vertx.eventBus().send(StoreId.REPLICATOR.address(), job(), enqueue());
    assertNothingStored();
    assertTrue(warnings.stream().anyMatch(w -> w.startsWith("WARNING") && w.contains("reply address") && w.contains("enqueue")), warnings.toString());
  }

  /**
   * A store takes its messages in order, so once a ping sent after the message is answered, the
   * message was dispatched; a stop then waits for anything it started to commit. Restarted, the
   * store shows what was stored.
   */
  private void assertNothingStored() throws Exception {
    assertEquals("replicator", call(StoreId.REPLICATOR, "ping", null).getString("store"));
    stopServer(server);
    server = startServer(backend().sameNode(config));
    JsonObject stats = call(StoreId.REPLICATOR, "stats", new JsonObject().put("queue", "replication"))
        .getJsonObject("queues").getJsonObject("replication");
    assertEquals(0, stats.getInteger("ready"), stats.encode());
    assertEquals(0, stats.getInteger("scheduled"), stats.encode());
  }
}
