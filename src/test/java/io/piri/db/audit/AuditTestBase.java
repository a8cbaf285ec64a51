package io.piri.db.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.bus.ActionRouter;
import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail: an operator change (dead-letter requeue and purge) writes one audit row in its
 * own transaction, with the actor headers of its request; a refused or failed change writes none;
 * {@code audit-list} pages the rows of each store newest first.
 */
public abstract class AuditTestBase extends ServerTestBase {
  private static final StoreId R = StoreId.REPLICATOR;
  private PiriServer server;

  @BeforeEach
  void startNode() throws Exception {
    server = startServer();
  }

  /** Dead-letters {@code n} jobs of the replication queue; returns their dead-letter ids. */
  private List<Long> deadLetters(int n) throws Exception {
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < n; i++) jobs.add(new JsonObject().put("name", "job-" + i).put("payload", i));
    call(R, "enqueue-batch", new JsonObject().put("queue", "replication").put("jobs", jobs));
    for (Object o : call(R, "claim", new JsonObject().put("queue", "replication").put("max", n)).getJsonArray("jobs")) {
      JsonObject j = (JsonObject) o;
      call(R, "fail", new JsonObject().put("queue", "replication").put("id", j.getLong("id")).put("receipt", j.getString("receipt"))
          .put("error", "boom").put("permanent", true));
    }
    List<Long> ids = new ArrayList<>();
    call(R, "dead-list", new JsonObject().put("queue", "replication").put("limit", 1000)).getJsonArray("jobs")
        .forEach(o -> ids.add(((JsonObject) o).getLong("id")));
    return ids;
  }

  /** A request with the actor headers the console sends. */
  private Future<JsonObject> asOperator(StoreId store, String action, JsonObject body, String actor) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(40_000).addHeader(ActionRouter.ACTION_HEADER, action)
        .addHeader("actor", actor).addHeader("actor_role", "operator").addHeader("via", "console");
    return vertx.eventBus().<JsonObject>request(store.address(), body, opts).map(m -> m.body());
  }

  private JsonArray auditRows(StoreId store) throws Exception {
    return call(store, "audit-list", new JsonObject()).getJsonArray("rows");
  }

  private JsonObject deadState() throws Exception {
    return call(R, "dead-list", new JsonObject().put("queue", "replication").put("limit", 1000));
  }

  @Test
  void anAcceptedChangeWritesOneRowWithItsActorAndFilter() throws Exception {
    List<Long> ids = deadLetters(3);
    JsonObject requeue = new JsonObject().put("queue", "replication").put("ids", new JsonArray().add(ids.get(0)).add(ids.get(1)));
    assertEquals(2, await(asOperator(R, "dead-requeue", requeue, "otto")).getInteger("requeued"));
    clock.advance(1_000);
    JsonObject purge = new JsonObject().put("queue", "replication").put("all", true);
    assertEquals(1, call(R, "dead-purge", purge).getInteger("purged"));

    JsonArray rows = auditRows(R);
    assertEquals(2, rows.size(), rows.encode());
    JsonObject purged = rows.getJsonObject(0);
    assertEquals("dead-purge", purged.getString("action"));
    assertEquals("replication", purged.getString("queue"));
    assertEquals(purge, purged.getJsonObject("filter"));
    assertEquals(1, purged.getLong("affected"));
    assertEquals(clock.now(), purged.getLong("at"));
    assertNull(purged.getString("actor"), "a request without actor headers is recorded as nobody's");
    assertNull(purged.getString("via"));
    JsonObject requeued = rows.getJsonObject(1);
    assertEquals("dead-requeue", requeued.getString("action"));
    assertEquals("otto", requeued.getString("actor"));
    assertEquals("operator", requeued.getString("actor_role"));
    assertEquals("console", requeued.getString("via"));
    assertEquals(requeue, requeued.getJsonObject("filter"));
    assertEquals(2, requeued.getLong("affected"));
    assertEquals(clock.now() - 1_000, requeued.getLong("at"));
    assertTrue(requeued.getLong("id") < purged.getLong("id"));
    for (StoreId other : List.of(StoreId.SCHEDULER, StoreId.AGGREGATOR, StoreId.EGRESS_TRACKER)) {
      assertEquals(0, auditRows(other).size(), "each store keeps its own rows: " + other.id());
    }
  }

  @Test
  void aChangeThatTouchesNothingIsStillRecorded() throws Exception {
    await(asOperator(R, "dead-purge", new JsonObject().put("queue", "replication").put("ids", new JsonArray().add(999)), "otto"));
    JsonArray rows = auditRows(R);
    assertEquals(1, rows.size());
    assertEquals(0, rows.getJsonObject(0).getLong("affected"));
  }

  @Test
  void aRefusedChangeWritesNoRow() throws Exception {
    deadLetters(2);
    JsonObject before = deadState();
    List<JsonObject> refused = List.of(
        new JsonObject().put("queue", "nope").put("all", true),
        new JsonObject().put("queue", "replication"),
        new JsonObject().put("queue", "replication").put("ids", new JsonArray().add("x")));
    for (JsonObject body : refused) {
      ReplyException e = assertFails(asOperator(R, "dead-purge", body, "otto"));
      assertEquals(400, e.failureCode(), e.getMessage());
    }
    assertEquals(before, deadState());
    assertEquals(0, auditRows(R).size());
  }

  @Test
  void badActorHeadersAre400NamingTheHeaderAndChangeNothing() throws Exception {
    deadLetters(1);
    JsonObject before = deadState();
    JsonObject purge = new JsonObject().put("queue", "replication").put("all", true);
    for (String actor : List.of("a\u0000b", "x".repeat(257), "", "\ud800")) {
      ReplyException e = assertFails(asOperator(R, "dead-purge", purge, actor));
      assertEquals(400, e.failureCode(), e.getMessage());
      assertTrue(e.getMessage().contains("header 'actor'"), e.getMessage());
    }
    assertEquals(before, deadState());
    assertEquals(0, auditRows(R).size());
  }

  @Test
  void theRowIsInTheChangesTransaction() throws Exception {
    deadLetters(2);
    JsonObject before = deadState();
    // Without its audit table the store cannot write the row: the change must not be kept either.
    await(server.database(R).write(tx -> tx.run("ALTER TABLE audit RENAME TO audit_away")));
    ReplyException e = assertFails(asOperator(R, "dead-purge", new JsonObject().put("queue", "replication").put("all", true), "otto"));
    assertEquals(500, e.failureCode(), e.getMessage());
    await(server.database(R).write(tx -> tx.run("ALTER TABLE audit_away RENAME TO audit")));
    assertEquals(before, deadState(), "the purge was rolled back with its audit row");
    assertEquals(0, auditRows(R).size());
    assertEquals(2, await(asOperator(R, "dead-purge", new JsonObject().put("queue", "replication").put("all", true), "otto"))
        .getInteger("purged"));
    assertEquals(1, auditRows(R).size());
  }

  @Test
  void auditListPagesNewestFirstByKey() throws Exception {
    for (int i = 0; i < 5; i++) {
      await(asOperator(R, "dead-purge", new JsonObject().put("queue", "replication").put("ids", new JsonArray().add(i + 1)), "u" + i));
    }
    List<String> actors = new ArrayList<>();
    Long before = null;
    int pages = 0;
    do {
      JsonObject body = new JsonObject().put("limit", 2);
      if (before != null) body.put("before_id", before);
      JsonObject page = call(R, "audit-list", body);
      page.getJsonArray("rows").forEach(o -> actors.add(((JsonObject) o).getString("actor")));
      before = page.getLong("next_before_id");
      pages++;
    } while (before != null);
    assertEquals(List.of("u4", "u3", "u2", "u1", "u0"), actors);
    assertEquals(3, pages);
    assertEquals(List.of("u2", "u1", "u0"), call(R, "audit-list", new JsonObject().put("before_id", String.valueOf(
        call(R, "audit-list", new JsonObject().put("limit", 2)).getLong("next_before_id")))).getJsonArray("rows").stream()
        .map(o -> ((JsonObject) o).getString("actor")).toList(), "before_id also takes a string of digits");
    for (JsonObject bad : List.of(new JsonObject().put("limit", 0), new JsonObject().put("limit", 1001),
        new JsonObject().put("before_id", -1), new JsonObject().put("before_id", "7.0"), new JsonObject().put("after_id", 1))) {
      ReplyException e = callFails(R, "audit-list", bad);
      assertEquals(400, e.failureCode(), bad.encode() + ": " + e.getMessage());
    }
  }

  private static ReplyException assertFails(Future<JsonObject> f) throws Exception {
    try {
      JsonObject ok = await(f);
      throw new AssertionError("expected a failure, got " + ok);
    } catch (ReplyException e) {
      return e;
    }
  }
}
