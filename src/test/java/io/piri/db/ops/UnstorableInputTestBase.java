package io.piri.db.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.scheduler.PdpTestBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text and numbers that a store cannot keep as sent: NUL in text (PostgreSQL cannot store it), a
 * lone UTF-16 surrogate (UTF-8 cannot encode it) and a non-finite number (JSON cannot write it).
 * Each is a 400 naming the field's path, on every store and in every field, and changes nothing;
 * a queue job's JSON payload, kept as bytes, carries NUL as data.
 */
public abstract class UnstorableInputTestBase extends PdpTestBase {
  private static final String NUL = "a\u0000b";
  private static final StoreId R = StoreId.REPLICATOR;

  /** One refused request: where, which action, what body, and the path its 400 must name. */
  private record Case(StoreId store, String action, JsonObject body, String path) {}

  private JsonObject heldJob;
  private long heldTask;
  private String session;

  /** A held job, a held task, a proof set with a pending message: things a wrong write would change. */
  private void prepare() throws Exception {
    startEngine();
    call(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "held").put("payload", 1));
    heldJob = call(R, "claim", new JsonObject().put("queue", "replication").put("lease_ms", 60_000)).getJsonArray("jobs").getJsonObject(0);
    call(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "ready").put("payload", 2));
    session = openSession(60_000);
    add("PDPProve");
    heldTask = claim(session, "PDPProve", 1, 0).getJsonObject(0).getLong("id");
    createProofSet(1, hash(1));
    pdp("msg-insert-wait", new JsonObject().put("signed_tx_hash", hash(2)));
  }

  private JsonObject snapshot() throws Exception {
    JsonObject out = new JsonObject();
    for (StoreId s : List.of(StoreId.REPLICATOR, StoreId.AGGREGATOR, StoreId.EGRESS_TRACKER)) out.put(s.id(), call(s, "stats", null));
    out.put("tasks", call(S, "task-stats", null)).put("history", history(new JsonObject()));
    out.put("proof_sets", pdp("ps-list", new JsonObject()));
    out.put("wait", pdp("msg-get-wait", new JsonObject().put("signed_tx_hash", hash(2))));
    out.put("registration", pdp("provider-pending-registration", new JsonObject()));
    out.put("withdrawal", pdp("pay-withdrawal-wait-latest", new JsonObject()));
    for (long h = 10; h < 14; h++) {
      ReplyException e = callFails(S, "msg-get-wait", new JsonObject().put("signed_tx_hash", hash(h)));
      out.put("wait" + h, e.failureCode());
    }
    return out;
  }

  private JsonObject heldRef() {
    return new JsonObject().put("queue", "replication").put("id", heldJob.getLong("id")).put("receipt", heldJob.getString("receipt"));
  }

  private List<Case> nulCases() {
    List<Case> c = new ArrayList<>();
    JsonObject item = new JsonObject().put("id", heldJob.getLong("id")).put("receipt", heldJob.getString("receipt"));
    c.add(new Case(R, "complete", new JsonObject().put("queue", "replication")
        .put("items", new JsonArray().add(item).add(item.copy().put("id", 999)).add(item.copy().put("id", 998).put("receipt", NUL))), "items[2].receipt"));
    c.add(new Case(R, "complete", heldRef().put("receipt", NUL), "receipt"));
    c.add(new Case(R, "extend", heldRef().put("receipt", NUL).put("lease_ms", 1000), "receipt"));
    c.add(new Case(R, "fail", heldRef().put("error", NUL).put("permanent", true), "error"));
    c.add(new Case(R, "enqueue", new JsonObject().put("queue", "replication" + NUL).put("name", "n").put("payload", 1), "queue"));
    c.add(new Case(StoreId.AGGREGATOR, "enqueue", new JsonObject().put("queue", "aggregator").put("name", "n").put("payload", 1)
        .put("dedupe_key", NUL), "dedupe_key"));
    c.add(new Case(R, "enqueue-batch", new JsonObject().put("queue", "replication").put("jobs", new JsonArray()
        .add(new JsonObject().put("name", "ok").put("payload", NUL)).add(new JsonObject().put("name", NUL).put("payload", 1))),
        "jobs[1].name"));
    c.add(new Case(S, "session-open", new JsonObject().put("name", NUL), "name"));
    c.add(new Case(S, "session-heartbeat", new JsonObject().put("session", session + NUL), "session"));
    c.add(new Case(S, "task-add", new JsonObject().put("name", "PDPProve").put("added_by", NUL), "added_by"));
    c.add(new Case(S, "task-add", new JsonObject().put("name", "PDPProve").put("unique_key", NUL), "unique_key"));
    c.add(new Case(S, "task-claim", new JsonObject().put("session", NUL).put("names", new JsonArray().add("PDPProve")), "session"));
    c.add(new Case(S, "task-claim", new JsonObject().put("session", session).put("names", new JsonArray().add("PDPProve").add(NUL)),
        "names[1]"));
    c.add(new Case(S, "task-complete", completeBody(heldTask, session, "failed", NUL), "error"));
    c.add(new Case(S, "task-history", new JsonObject().put("name", NUL), "name"));
    c.add(new Case(S, "ps-record-create", new JsonObject().put("create_message_hash", hash(10)).put("service", NUL), "service"));
    c.add(new Case(S, "ps-status-by-create-hash", new JsonObject().put("create_message_hash", hash(1)).put("service", NUL), "service"));
    c.add(new Case(S, "provider-record-registration", new JsonObject().put("register_message_hash", hash(11)).put("service", NUL),
        "service"));
    c.add(new Case(S, "piece-allocate", new JsonObject().put("check_hash_codec", "c").put("check_hash_base64", b64("h"))
        .put("check_size", 1).put("notify_url", "http://x/" + NUL), "notify_url"));
    c.add(new Case(S, "piece-allocate", new JsonObject().put("check_hash_codec", NUL).put("check_hash_base64", b64("h"))
        .put("check_size", 1), "check_hash_codec"));
    c.add(new Case(S, "piece-park", new JsonObject().put("piece_cid", cid("n", 1)).put("piece_padded_size", 128)
        .put("piece_raw_size", 100).put("data_url", "pdpstore://" + NUL), "data_url"));
    c.add(new Case(S, "msg-enqueue-send", new JsonObject().put("from_address", FROM).put("to_address", TO).put("send_reason", NUL)
        .put("unsigned_tx_base64", b64("tx")).put("unsigned_hash", hash(12)), "send_reason"));
    c.add(new Case(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(2)).put("block_number", 1).put("success", true)
        .put("tx", new JsonObject().put("input", NUL)), "tx.input"));
    c.add(new Case(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(2)).put("block_number", 1).put("success", true)
        .put("receipt", new JsonObject().put("logs", new JsonArray().add(new JsonObject().put("data", NUL)))), "receipt.logs[0].data"));
    c.add(new Case(S, "pay-rail-wait-put", new JsonObject().put("rail_id", "12" + NUL).put("signed_tx_hash", hash(13)), "rail_id"));
    return c;
  }

  @Test
  void nulInTextIsA400NamingTheFieldAndChangesNothing() throws Exception {
    prepare();
    JsonObject before = snapshot();
    for (Case c : nulCases()) {
      ReplyException e = callFails(c.store(), c.action(), c.body());
      assertEquals(400, e.failureCode(), c.action() + " " + c.path() + ": " + e.getMessage());
      assertTrue(e.getMessage().startsWith("invalid_argument: field '" + c.path() + "' "), c.action() + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }
    assertEquals(before, snapshot());
    assertEquals(new JsonObject().put("completed", 1), call(R, "complete", heldRef()), "the held job's receipt still works");
  }

  /** A JSON payload is stored as bytes: NUL in its text (values and keys) is data and comes back as sent. */
  @Test
  void nulInAQueuePayloadRoundTrips() throws Exception {
    startEngine();
    JsonObject payload = new JsonObject().put("k", NUL).put("key\u0000", new JsonArray().add("\u0000"));
    call(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "one").put("payload", payload));
    call(R, "enqueue-batch", new JsonObject().put("queue", "replication").put("jobs", new JsonArray()
        .add(new JsonObject().put("name", "two").put("payload", NUL))));
    JsonArray jobs = call(R, "claim", new JsonObject().put("queue", "replication").put("max", 10)).getJsonArray("jobs");
    assertEquals(2, jobs.size(), jobs.encode());
    assertEquals(payload, jobs.getJsonObject(0).getJsonObject("payload"));
    assertEquals(NUL, jobs.getJsonObject(1).getString("payload"));
  }

  @Test
  void loneSurrogatesAreA400NamingTheFieldAndChangeNothing() throws Exception {
    prepare();
    JsonObject before = snapshot();
    List<Case> cases = List.of(
        new Case(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "n")
            .put("payload", new JsonObject().put("k", "x\ud800")), "payload.k"),
        new Case(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "n")
            .put("payload", new JsonObject().put("k\udc00", 1)), "payload.k\\udc00"),
        new Case(R, "enqueue-batch", new JsonObject().put("queue", "replication").put("jobs", new JsonArray()
            .add(new JsonObject().put("name", "n").put("payload", new JsonArray().add("ok").add("\udbff")))), "jobs[0].payload[1]"),
        new Case(R, "fail", heldRef().put("error", "\ude00 then text"), "error"),
        new Case(S, "task-add", new JsonObject().put("name", "PDPProve").put("added_by", "\ud83d"), "added_by"),
        new Case(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(2)).put("block_number", 1).put("success", true)
            .put("receipt", new JsonObject().put("status", "\udfff\ud800")), "receipt.status"));
    for (Case c : cases) {
      ReplyException e = callFails(c.store(), c.action(), c.body());
      assertEquals(400, e.failureCode(), c.action() + ": " + e.getMessage());
      assertTrue(e.getMessage().startsWith("invalid_argument: field '" + c.path() + "' "), c.action() + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }
    assertEquals(before, snapshot());
    // A surrogate pair is a character like any other.
    String smile = "\ud83d\ude00";
    call(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "pair").put("payload", smile));
    JsonArray jobs = call(R, "claim", new JsonObject().put("queue", "replication").put("max", 10)).getJsonArray("jobs");
    assertEquals(smile, jobs.getJsonObject(jobs.size() - 1).getString("payload"));
  }

  @Test
  void nonFiniteNumbersAreA400NamingTheFieldAndChangeNothing() throws Exception {
    prepare();
    JsonObject before = snapshot();
    List<Case> cases = List.of(
        new Case(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "n").put("payload", Double.POSITIVE_INFINITY),
            "payload"),
        new Case(R, "enqueue", new JsonObject().put("queue", "replication").put("name", "n")
            .put("payload", new JsonObject().put("a", new JsonArray().add(1).add(Double.NaN))), "payload.a[1]"),
        new Case(R, "claim", new JsonObject().put("queue", "replication").put("max", Double.NEGATIVE_INFINITY), "max"),
        new Case(S, "msg-confirm", new JsonObject().put("signed_tx_hash", hash(2)).put("block_number", 1).put("success", true)
            .put("receipt", new JsonObject().put("gas", Float.POSITIVE_INFINITY)), "receipt.gas"));
    for (Case c : cases) {
      ReplyException e = callFails(c.store(), c.action(), c.body());
      assertEquals(400, e.failureCode(), c.action() + ": " + e.getMessage());
      assertTrue(e.getMessage().startsWith("invalid_argument: field '" + c.path() + "' "), c.action() + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("finite"), e.getMessage());
    }
    assertEquals(before, snapshot());
  }

  /** Over the bridge the values arrive as JSON text: 1e400 overflows to infinity, "\ud800" decodes to a lone surrogate. */
  @Test
  void theBridgeRefusesTextThatWouldBeAltered() throws Exception {
    prepare();
    JsonObject before = snapshot();
    String[][] cases = {
        {"{\"queue\":\"replication\",\"name\":\"n\",\"payload\":{\"x\":1e400}}", "payload.x", "finite"},
        {"{\"queue\":\"replication\",\"name\":\"n\",\"payload\":[-1e400]}", "payload[0]", "finite"},
        {"{\"queue\":\"replication\",\"name\":\"n\",\"payload\":\"\\ud800\"}", "payload", "surrogate"},
        {"{\"queue\":\"replication\",\"name\":\"n\",\"payload\":1,\"dedupe_key\":\"\\u0000\"}", "dedupe_key", "NUL"},
    };
    try (Socket s = new Socket("127.0.0.1", config.bridgePort())) {
      s.setSoTimeout(15_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      DataInputStream in = new DataInputStream(s.getInputStream());
      for (String[] c : cases) {
        String frame = "{\"type\":\"send\",\"address\":\"" + R.address() + "\",\"replyAddress\":\"r\",\"headers\":{\"action\":\"enqueue\"},"
            + "\"body\":" + c[0] + "}";
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
        byte[] reply = new byte[in.readInt()];
        in.readFully(reply);
        JsonObject r = new JsonObject(new String(reply, StandardCharsets.UTF_8));
        assertEquals(400, r.getInteger("failureCode"), c[0] + " -> " + r.encode());
        assertTrue(r.getString("message").startsWith("invalid_argument: field '" + c[1] + "' "), r.encode());
        assertTrue(r.getString("message").contains(c[2]), r.encode());
      }
    }
    assertEquals(before, snapshot());
  }
}
