package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.cli.BridgeClient;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generated malformed and out-of-range requests, over the event bus and over the bridge: each one
 * gets a 4xx, and afterwards every store's counts are what they were.
 */
public abstract class HostileInputTestBase extends ServerTestBase {
  private static final String SQL = "replication'; DROP TABLE job; --";

  /** One request: where, which action, what body. */
  record Case(StoreId store, String action, Object body) {
    @Override
    public String toString() {
      String b = String.valueOf(body);
      return store.id() + " " + action + " " + (b.length() > 200 ? b.substring(0, 200) + "..." : b);
    }
  }

  @BeforeEach
  void startNode() throws Exception {
    startServer();
    // Something in each queue store, so that "unchanged" means something.
    for (String[] q : new String[][] {{"replicator", "replication"}, {"aggregator", "manager"}, {"egress_tracker", "egress-tracker"}}) {
      call(StoreId.parse(q[0]), "enqueue", new JsonObject().put("queue", q[1]).put("name", "keep").put("payload", new JsonObject()));
    }
    call(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", "PDPProve"));
  }

  private JsonObject snapshot() throws Exception {
    JsonObject out = new JsonObject();
    for (StoreId s : StoreId.values()) {
      out.put(s.id(), s.holdsQueues() ? call(s, "stats", new JsonObject()) : call(s, "task-stats", new JsonObject()));
    }
    return out;
  }

  static Object deep(int depth) {
    Object v = "x";
    for (int i = 0; i < depth; i++) v = i % 2 == 0 ? new JsonArray().add(v) : new JsonObject().put("k", v);
    return v;
  }

  /** Values of the wrong type or out of range for nearly every field. */
  static List<Object> badValues() {
    List<Object> v = new ArrayList<>();
    v.add(-1);
    v.add(Long.MAX_VALUE);
    v.add(Long.MIN_VALUE);
    v.add(1.5);
    v.add(true);
    v.add(new JsonArray().add(1));
    v.add(new JsonObject().put("a", 1));
    v.add("x".repeat(100_001)); // not a multiple of 4: invalid base64 too
    v.add(SQL);
    v.add(deep(200));
    v.add(new java.math.BigInteger("123456789012345678901234567890"));
    return v;
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    StoreId r = StoreId.REPLICATOR;
    JsonObject enqueue = new JsonObject().put("queue", "replication").put("name", "n").put("payload", 1);
    // Every field of enqueue set to each bad value (payload accepts any JSON: it is left out).
    for (String f : List.of("queue", "name", "delay_ms", "dedupe_key", "payload_base64")) {
      for (Object bad : badValues()) {
        JsonObject b = enqueue.copy().put(f, bad);
        if (f.equals("payload_base64")) b.remove("payload");
        if (f.equals("dedupe_key") && bad instanceof String s && s.length() <= 1024) continue; // a valid key
        out.add(new Case(r, "enqueue", b));
      }
    }
    // claim, dead-list, jobs, extend, complete, fail: each numeric or string field given bad values.
    JsonObject claim = new JsonObject().put("queue", "replication");
    for (String f : List.of("max", "lease_ms", "wait_ms")) {
      for (Object bad : badValues()) out.add(new Case(r, "claim", claim.copy().put(f, bad)));
      if (!f.equals("wait_ms")) out.add(new Case(r, "claim", claim.copy().put(f, 0))); // wait_ms 0 is valid
      out.add(new Case(r, "claim", claim.copy().put(f, 1_000_000_000_000L)));
    }
    for (Object bad : badValues()) {
      out.add(new Case(r, "dead-list", claim.copy().put("limit", bad)));
      out.add(new Case(r, "jobs", claim.copy().put("state", "ready").put("limit", bad)));
      out.add(new Case(r, "jobs", claim.copy().put("state", bad)));
      out.add(new Case(r, "extend", claim.copy().put("id", bad).put("receipt", "r").put("lease_ms", 1000)));
      out.add(new Case(r, "complete", claim.copy().put("id", 1).put("receipt", bad)));
      out.add(new Case(r, "fail", claim.copy().put("id", 1).put("receipt", "r").put("error", bad)));
      // A well-formed id that names no row purges nothing: legitimate, so only the others here.
      if (!Long.valueOf(Long.MAX_VALUE).equals(bad)) out.add(new Case(r, "dead-purge", claim.copy().put("ids", new JsonArray().add(bad))));
      out.add(new Case(StoreId.SCHEDULER, "task-add", new JsonObject().put("name", bad)));
      out.add(new Case(StoreId.SCHEDULER, "task-claim", new JsonObject().put("session", bad).put("names", new JsonArray().add("PDPProve"))));
      out.add(new Case(StoreId.AGGREGATOR, "stats", new JsonObject().put("queue", bad)));
      out.add(new Case(StoreId.EGRESS_TRACKER, "backup", new JsonObject().put("dir", bad)));
    }
    // Unknown fields, unknown actions, bodies that are not objects.
    for (StoreId s : StoreId.values()) {
      out.add(new Case(s, "ping", new JsonObject().put("extra", 1)));
      out.add(new Case(s, "health", new JsonObject().put("x", deep(50))));
      out.add(new Case(s, "drop-everything", new JsonObject()));
      out.add(new Case(s, SQL, new JsonObject()));
      out.add(new Case(s, "ping", new JsonArray().add(1)));
      out.add(new Case(s, "ping", "a string body"));
      out.add(new Case(s, "ping", 42));
    }
    out.add(new Case(r, "enqueue", enqueue.copy().put("priority", 5)));
    out.add(new Case(r, "enqueue", enqueue.copy().put("payload_base64", "AAAA")));             // both payloads
    out.add(new Case(r, "enqueue", enqueue.copy().remove("payload") == null ? null : enqueue.copy()
        .put("payload_base64", "!!not base64!!").putNull("payload")));
    out.add(new Case(r, "enqueue", new JsonObject().put("queue", "replication").put("name", "n")
        .put("payload_base64", "===")));
    // Invalid UTF-8 carried in base64 is a valid byte payload, so it rides on a bad delay here.
    out.add(new Case(r, "enqueue", new JsonObject().put("queue", "replication").put("name", "n")
        .put("payload_base64", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF})).put("delay_ms", -1)));
    out.add(new Case(r, "enqueue", enqueue.copy().put("name", "a b")));
    out.add(new Case(r, "enqueue", enqueue.copy().put("name", "")));
    out.add(new Case(r, "enqueue", enqueue.copy().put("name", "n".repeat(129))));
    out.add(new Case(r, "enqueue", enqueue.copy().put("payload", "y".repeat((1 << 20) + 10))));  // over the body limit
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 1001; i++) tooMany.add(new JsonObject().put("name", "n").put("payload", i));
    out.add(new Case(r, "enqueue-batch", new JsonObject().put("queue", "replication").put("jobs", tooMany)));
    JsonArray oneBad = new JsonArray().add(new JsonObject().put("name", "ok").put("payload", 1)).add(new JsonObject().put("name", 5));
    out.add(new Case(r, "enqueue-batch", new JsonObject().put("queue", "replication").put("jobs", oneBad)));  // all or none
    out.add(new Case(r, "enqueue-batch", new JsonObject().put("queue", "replication").put("jobs", new JsonArray())));
    JsonArray ids = new JsonArray();
    for (int i = 0; i < 1001; i++) ids.add(i);
    out.add(new Case(r, "dead-requeue", new JsonObject().put("queue", "replication").put("ids", ids)));
    out.add(new Case(r, "dead-requeue", new JsonObject().put("queue", "replication").put("ids", new JsonArray().add(1)).put("all", true)));
    out.add(new Case(r, "dead-purge", new JsonObject().put("queue", "replication").put("all", "yes")));
    out.add(new Case(r, "complete", new JsonObject().put("queue", "replication").put("id", 987654321).put("receipt", "nope")));
    out.add(new Case(r, "extend", new JsonObject().put("queue", "replication").put("id", 987654321).put("receipt", "r").put("lease_ms", -1)));
    out.add(new Case(StoreId.SCHEDULER, "session-heartbeat", new JsonObject().put("session", "00000000-0000-0000-0000-000000000000")));
    out.add(new Case(StoreId.SCHEDULER, "task-complete", new JsonObject().put("id", -1).put("session", SQL).put("outcome", "done")));
    return out;
  }

  @Test
  void everyHostileRequestOnTheBusGetsA4xxAndChangesNothing() throws Exception {
    JsonObject before = snapshot();
    List<Case> cases = cases();
    assertTrue(cases.size() >= 200, "only " + cases.size() + " cases");
    for (Case c : cases) {
      ReplyException e = callFails(c.store(), c.action(), c.body());
      assertTrue(e.failureCode() >= 400 && e.failureCode() < 500, c + " -> " + e.failureCode() + " " + e.getMessage());
      assertTrue(!e.getMessage().contains("SELECT") && !e.getMessage().contains("\tat "), c + " leaked: " + e.getMessage());
    }
    assertEquals(before, snapshot());
  }

  @Test
  void everyHostileRequestOnTheBridgeGetsA4xxAndChangesNothing() throws Exception {
    JsonObject before = snapshot();
    List<Case> cases = cases();
    try (BridgeClient client = new BridgeClient("127.0.0.1", config.bridgePort(), 15_000)) {
      for (Case c : cases) {
        JsonObject frame = new JsonObject().put("type", "send").put("address", c.store().address()).put("replyAddress", "hostile")
            .put("headers", new JsonObject().put("action", c.action())).put("body", c.body());
        client.write(frame);
        JsonObject reply = client.read();
        assertEquals("err", reply.getString("type"), c + " -> " + reply.encode());
        int code = reply.getInteger("failureCode");
        assertTrue(code >= 400 && code < 500, c + " -> " + reply.encode());
      }
      // The connection is still usable after all of it.
      assertEquals("replicator", client.request(StoreId.REPLICATOR.address(), "ping", new JsonObject()).getString("store"));
    }
    assertEquals(before, snapshot());
  }
}
