package io.piri.db.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event-bus protocol every store speaks (contract §4), on each backend. */
public abstract class ProtocolTestBase extends ServerTestBase {

  @BeforeEach
  void start() throws Exception {
    startServer();
  }

  @Test
  void missingActionIsRejected() throws Exception {
    ReplyException e = callFails(StoreId.REPLICATOR, null, new JsonObject());
    assertEquals(400, e.failureCode());
    assertEquals("invalid_argument: unknown action ''", e.getMessage());
  }

  @Test
  void unknownActionIsRejectedByName() throws Exception {
    for (StoreId store : StoreId.values()) {
      ReplyException e = callFails(store, "drop-everything", new JsonObject());
      assertEquals(400, e.failureCode());
      assertEquals("invalid_argument: unknown action 'drop-everything'", e.getMessage());
    }
  }

  @Test
  void nonObjectBodiesAreRejected() throws Exception {
    for (Object body : new Object[] {"ping", new JsonArray().add(1), 42, true}) {
      ReplyException e = callFails(StoreId.SCHEDULER, "ping", body);
      assertEquals(400, e.failureCode(), String.valueOf(body));
      assertTrue(e.getMessage().startsWith("invalid_argument: body must be a JSON object"), e.getMessage());
    }
  }

  @Test
  void unknownFieldIsNamed() throws Exception {
    ReplyException e = callFails(StoreId.AGGREGATOR, "ping", new JsonObject().put("verbose", true));
    assertEquals(400, e.failureCode());
    assertTrue(e.getMessage().contains("'verbose'"), e.getMessage());
  }

  @Test
  void oversizeBodyIsRejectedWithTheLimit() throws Exception {
    JsonObject big = new JsonObject().put("blob", "x".repeat(config.maxBodyBytes() + 1));
    ReplyException e = callFails(StoreId.EGRESS_TRACKER, "ping", big);
    assertEquals(400, e.failureCode());
    assertTrue(e.getMessage().contains(String.valueOf(config.maxBodyBytes())), e.getMessage());
    assertTrue(e.getMessage().contains("limits.max_body_bytes"), e.getMessage());
  }

  @Test
  void absentBodyIsAnEmptyObject() throws Exception {
    assertEquals("egress_tracker", call(StoreId.EGRESS_TRACKER, "ping", null).getString("store"));
    assertEquals("egress_tracker", call(StoreId.EGRESS_TRACKER, "ping", new JsonObject()).getString("store"));
  }
}
