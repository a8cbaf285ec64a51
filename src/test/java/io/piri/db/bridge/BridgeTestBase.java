package io.piri.db.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.piri.db.cli.BridgeClient;
import io.piri.db.support.Cli;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.json.JsonObject;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP event-bus bridge and the {@code call} command that uses it. */
public abstract class BridgeTestBase extends ServerTestBase {

  private PiriServer server;

  @BeforeEach
  void start() throws Exception {
    server = startServer();
  }

  private BridgeClient client() throws Exception {
    return new BridgeClient("127.0.0.1", config.bridgePort(), 5000);
  }

  private static JsonObject send(String address, String action, JsonObject body, String replyAddress) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address)
        .put("headers", new JsonObject().put("action", action)).put("body", body);
    return replyAddress == null ? frame : frame.put("replyAddress", replyAddress);
  }

  private static JsonObject enqueue() {
    return new JsonObject().put("queue", "replication").put("name", "n").put("payload", new JsonObject().put("k", 1));
  }

  private static JsonObject claim(long waitMs) {
    return new JsonObject().put("queue", "replication").put("wait_ms", waitMs);
  }

  /** Asserts that {@code frame} is an {@code err} for the request answered at {@code address}. */
  private static JsonObject assertRefused(JsonObject frame, String address, String messagePrefix) {
    assertEquals("err", frame.getString("type"), frame.encode());
    assertEquals(address, frame.getString("address"), frame.encode());
    assertTrue(frame.getString("message", "").startsWith(messagePrefix), frame.encode());
    return frame;
  }

  /** The next read finds the connection closed (not a read timeout). */
  private static void assertClosed(BridgeClient c) {
    java.io.IOException e = assertThrows(java.io.IOException.class, c::read);
    assertFalse(e instanceof SocketTimeoutException, "the bridge closes the connection: " + e);
  }

  private int readyJobs() throws Exception {
    return call(StoreId.REPLICATOR, "stats", new JsonObject().put("queue", "replication"))
        .getJsonObject("queues").getJsonObject("replication").getInteger("ready");
  }

  @Test
  void requestsReachTheStores() throws Exception {
    try (BridgeClient c = client()) {
      for (StoreId store : StoreId.values()) {
        assertEquals(store.id(), c.request(store.address(), "ping", new JsonObject()).getString("store"));
      }
    }
  }

  @Test
  void storeFailuresKeepTheirCode() throws Exception {
    try (BridgeClient c = client()) {
      BridgeClient.Failure f = assertThrows(BridgeClient.Failure.class,
          () -> c.request(StoreId.REPLICATOR.address(), "nope", new JsonObject()));
      assertEquals(400, f.code);
      assertEquals("invalid_argument", f.error);
      assertEquals("unknown action 'nope'", f.detail);
    }
  }

  @Test
  void onlyStoreAddressesArePermitted() throws Exception {
    try (BridgeClient c = client()) {
      for (String address : new String[] {"vertx.internal", "piri.dbx", "piri.db.", "__vertx.reply.1"}) {
        BridgeClient.Failure f = assertThrows(BridgeClient.Failure.class,
            () -> c.request(address, "ping", new JsonObject()), address);
        assertTrue(f.detail.contains("not permitted"), f.detail);
      }
    }
  }

  @Test
  void registeringOnAStoreAddressIsRefusedAndReceivesNothing() throws Exception {
    try (BridgeClient thief = new BridgeClient("127.0.0.1", config.bridgePort(), 1500)) {
      thief.write(new JsonObject().put("type", "register").put("address", StoreId.SCHEDULER.address()));
      JsonObject answer = thief.read();
      assertEquals("err", answer.getString("type"), answer.encode());
      for (int i = 0; i < 5; i++) {
        assertEquals("scheduler", call(StoreId.SCHEDULER, "ping", null).getString("store"));
      }
      assertThrows(SocketTimeoutException.class, thief::read, "the bridge client must not get store requests");
    }
  }

  @Test
  void callCommandPrintsReplyOrExitsFour() throws Exception {
    String bridge = "127.0.0.1:" + config.bridgePort();
    Cli.Result ok = Cli.run("call", StoreId.AGGREGATOR.address(), "ping", "{}", "--bridge", bridge);
    assertEquals(0, ok.code());
    assertEquals("aggregator", new JsonObject(ok.out().trim()).getString("store"));

    Cli.Result bad = Cli.run("call", StoreId.AGGREGATOR.address(), "explode", "--bridge", bridge);
    assertEquals(ExitException.REQUEST_FAILED, bad.code());
    JsonObject err = new JsonObject(bad.err().trim());
    assertEquals(400, err.getInteger("code"));
    assertEquals("invalid_argument", err.getString("error"));
    assertTrue(err.getString("message").contains("explode"));
  }

  /** A raw connection to the bridge, for frames the BridgeClient would never write. */
  private java.net.Socket raw() throws Exception {
    return raw(config.bridgePort());
  }

  private static java.net.Socket raw(int port) throws Exception {
    java.net.Socket s = new java.net.Socket("127.0.0.1", port);
    s.setSoTimeout(5000);
    return s;
  }

  /** Reads frames until the bridge closes the connection; returns the last frame read (or null). */
  private static JsonObject readUntilClosed(java.net.Socket s) throws Exception {
    java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
    JsonObject last = null;
    while (true) {
      int len;
      try {
        len = in.readInt();
      } catch (java.io.EOFException | java.net.SocketException e) {
        return last;
      }
      assertTrue(len > 0 && len < 1 << 20, "frame length " + len);
      byte[] b = new byte[len];
      in.readFully(b);
      last = new JsonObject(new String(b, StandardCharsets.UTF_8));
    }
  }

  @Test
  void aFrameAnnouncingMoreThanTheLimitIsRefusedAndItsConnectionClosedAtOnce() throws Exception {
    // raw() reads with a 5 s timeout, far below the 30 s frame timeout: a refusal that waited for
    // the rest of the frame would fail the read.
    try (BridgeClient bystander = client(); java.net.Socket s = raw()) {
      java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
      out.writeInt(1 << 30); // a forged 1 GiB frame
      out.write("{\"type\":\"send\"".getBytes(StandardCharsets.UTF_8));
      out.flush();
      JsonObject refusal = readUntilClosed(s);
      assertEquals("err", refusal.getString("type"), refusal.encode());
      assertTrue(refusal.getString("message").contains("limits.max_body_bytes"), refusal.encode());
      assertEquals("replicator", bystander.request(StoreId.REPLICATOR.address(), "ping", new JsonObject()).getString("store"));
    }
    try (java.net.Socket s = raw()) {
      new java.io.DataOutputStream(s.getOutputStream()).writeInt(-5);
      assertEquals("err", readUntilClosed(s).getString("type"));
    }
    try (BridgeClient fresh = client()) {
      assertEquals("scheduler", fresh.request(StoreId.SCHEDULER.address(), "ping", new JsonObject()).getString("store"));
    }
  }

  @Test
  void aFrameAtTheBodyLimitStillGetsItsFourHundred() throws Exception {
    try (BridgeClient c = client()) {
      String big = "x".repeat(config.maxBodyBytes());
      BridgeClient.Failure f = assertThrows(BridgeClient.Failure.class, () -> c.request(StoreId.REPLICATOR.address(), "enqueue",
          new JsonObject().put("queue", "replication").put("name", "n").put("payload", big)));
      assertEquals(400, f.code);
      assertTrue(f.detail.contains("limits.max_body_bytes"), f.detail);
    }
  }

  @Test
  void aFrameThatDoesNotParseCostsOnlyItsOwnConnection() throws Exception {
    try (BridgeClient bystander = client()) {
      assertEquals("aggregator", bystander.request(StoreId.AGGREGATOR.address(), "ping", new JsonObject()).getString("store"));
      for (String garbage : new String[] {"not json{", "[1,2,3]", "\"a string\"", "{\"type\":", "{}}"}) {
        try (java.net.Socket s = raw()) {
          byte[] b = garbage.getBytes(StandardCharsets.UTF_8);
          java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
          out.writeInt(b.length);
          out.write(b);
          out.flush();
          JsonObject last = readUntilClosed(s);
          assertEquals("err", last.getString("type"), garbage);
        }
      }
      // The bystander's connection, open all along, still works.
      assertEquals("aggregator", bystander.request(StoreId.AGGREGATOR.address(), "ping", new JsonObject()).getString("store"));
    }
  }

  @Test
  void pingPublishAndUnknownFrameTypesAreAnsweredWithoutClosing() throws Exception {
    try (BridgeClient c = client()) {
      c.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"));
      c.write(new JsonObject().put("type", "publish").put("address", "elsewhere").put("body", new JsonObject()));
      assertTrue(c.read().getString("message").startsWith("access_denied"));
      c.write(new JsonObject().put("type", "frobnicate"));
      assertEquals("err", c.read().getString("type"));
      c.write(new JsonObject().put("type", "send").put("address", StoreId.SCHEDULER.address()).put("replyAddress", "r")
          .put("headers", new JsonObject().put("action", 7)));
      assertEquals("err", c.read().getString("type"));
      assertEquals("scheduler", c.request(StoreId.SCHEDULER.address(), "ping", new JsonObject()).getString("store"));
    }
  }

  @Test
  void publishToAStoreIsRefusedAndStoresNothing() throws Exception {
    try (BridgeClient c = client()) {
      c.write(new JsonObject().put("type", "publish").put("address", StoreId.REPLICATOR.address())
          .put("headers", new JsonObject().put("action", "enqueue")).put("body", enqueue()));
      JsonObject refusal = c.read();
      assertEquals("err", refusal.getString("type"), refusal.encode());
      assertTrue(refusal.getString("message").startsWith("access_denied: publish"), refusal.encode());
      // The connection's next request is handled after the publish frame: had it reached the
      // store, its enqueue would have been dispatched before this ping.
      assertEquals("replicator", c.request(StoreId.REPLICATOR.address(), "ping", new JsonObject()).getString("store"));
      assertEquals(0, readyJobs());
    }
  }

  @Test
  void aSendToAStoreWithoutReplyAddressIsRefusedAndStoresNothing() throws Exception {
    try (BridgeClient c = client()) {
      c.write(send(StoreId.REPLICATOR.address(), "enqueue", enqueue(), null));
      JsonObject refusal = c.read();
      assertEquals("err", refusal.getString("type"), refusal.encode());
      assertTrue(refusal.getString("message").startsWith("missing_reply_address"), refusal.encode());
      assertEquals("replicator", c.request(StoreId.REPLICATOR.address(), "ping", new JsonObject()).getString("store"));
      assertEquals(0, readyJobs());
    }
  }

  @Test
  void refusalsCarryTheReplyAddressOfTheirRequest() throws Exception {
    try (BridgeClient c = client()) {
      c.write(send("vertx.internal", "ping", new JsonObject(), "r1"));
      assertRefused(c.read(), "r1", "access_denied");
      c.write(send(StoreId.SCHEDULER.address(), "ping", new JsonObject(), "r2").put("headers", new JsonObject().put("action", 7)));
      assertRefused(c.read(), "r2", "invalid_headers");
      c.write(new JsonObject().put("type", "frobnicate").put("address", StoreId.SCHEDULER.address()).put("replyAddress", "r3"));
      assertRefused(c.read(), "r3", "unknown_type");
      c.write(new JsonObject().put("type", "send").put("replyAddress", "r4").put("headers", new JsonObject().put("action", "ping")));
      assertRefused(c.read(), "r4", "missing_address");
      c.write(send(StoreId.SCHEDULER.address(), "ping", new JsonObject(), "r5").put("headers", "action=ping"));
      assertRefused(c.read(), "r5", "invalid_headers");
    }
  }

  @Test
  void aClientRegistersItsOwnAddressAndGetsItsRepliesThere() throws Exception {
    try (BridgeClient c = client()) {
      c.write(new JsonObject().put("type", "register").put("address", "client.inbox.7"));
      // A register is not answered; the pong shows that nothing was refused before it.
      c.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"));
      c.write(send(StoreId.SCHEDULER.address(), "ping", new JsonObject(), "client.inbox.7"));
      JsonObject reply = c.read();
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals("client.inbox.7", reply.getString("address"));
      assertEquals("scheduler", reply.getJsonObject("body").getString("store"));

      c.write(new JsonObject().put("type", "unregister").put("address", "client.inbox.7"));
      c.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"));
      c.write(new JsonObject().put("type", "unregister").put("address", "client.inbox.7"));
      assertRefused(c.read(), "client.inbox.7", "unknown_address");
    }
  }

  @Test
  void anAddressRegisteredByOneConnectionIsRefusedToTheOthers() throws Exception {
    try (BridgeClient owner = client(); BridgeClient other = client()) {
      owner.write(new JsonObject().put("type", "register").put("address", "shared.inbox"));
      owner.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", owner.read().getString("type"));

      other.write(new JsonObject().put("type", "register").put("address", "shared.inbox"));
      assertRefused(other.read(), "shared.inbox", "access_denied");
      other.write(send(StoreId.SCHEDULER.address(), "ping", new JsonObject(), "shared.inbox"));
      assertRefused(other.read(), "shared.inbox", "access_denied");
      other.write(new JsonObject().put("type", "unregister").put("address", "shared.inbox"));
      assertRefused(other.read(), "shared.inbox", "unknown_address");

      // Nothing of the other connection's attempts reached the owner: its next frame is its pong.
      owner.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", owner.read().getString("type"));

      owner.write(new JsonObject().put("type", "unregister").put("address", "shared.inbox"));
      owner.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", owner.read().getString("type"));
      other.write(new JsonObject().put("type", "register").put("address", "shared.inbox"));
      other.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", other.read().getString("type"));
    }
  }

  @Test
  void storeAndInternalAddressesCannotBeRegistered() throws Exception {
    try (BridgeClient c = client()) {
      for (String address : new String[] {StoreId.SCHEDULER.address(), "piri.db.nope", "__vertx.reply.1", "__vertx.ping"}) {
        c.write(new JsonObject().put("type", "register").put("address", address));
        assertRefused(c.read(), address, "access_denied");
        c.write(new JsonObject().put("type", "unregister").put("address", address));
        assertRefused(c.read(), address, "access_denied");
      }
    }
  }

  @Test
  void aNumericTimeoutHeaderIsTheRequestsSendTimeout() throws Exception {
    try (BridgeClient c = client()) {
      JsonObject stats = send(StoreId.REPLICATOR.address(), "stats", new JsonObject(), "t1");
      stats.getJsonObject("headers").put("timeout", 5000);
      c.write(stats);
      JsonObject reply = c.read();
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals("t1", reply.getString("address"));

      // A claim that would wait 20 s for a job, sent with a 300 ms timeout: the bus gives up first.
      JsonObject waiting = send(StoreId.REPLICATOR.address(), "claim", claim(20_000), "t2");
      waiting.getJsonObject("headers").put("timeout", 300);
      c.write(waiting);
      JsonObject timedOut = assertRefused(c.read(), "t2", "");
      assertEquals("TIMEOUT", timedOut.getString("failureType"), timedOut.encode());
    }
  }

  @Test
  void aTimeoutOutOfRangeOrNotANumberIsRefusedNamingTheHeader() throws Exception {
    try (BridgeClient c = client()) {
      int i = 0;
      for (Object bad : new Object[] {0, -1, 40_001, 1L << 40, 1.5, "5000", true, new JsonObject()}) {
        JsonObject frame = send(StoreId.REPLICATOR.address(), "stats", new JsonObject(), "bad" + i);
        frame.getJsonObject("headers").put("timeout", bad);
        c.write(frame);
        JsonObject refusal = assertRefused(c.read(), "bad" + i, "invalid_headers");
        assertTrue(refusal.getString("message").contains("timeout"), refusal.encode());
        i++;
      }
      JsonObject other = send(StoreId.REPLICATOR.address(), "stats", new JsonObject(), "local");
      other.getJsonObject("headers").put("localOnly", true);
      c.write(other);
      assertRefused(c.read(), "local", "invalid_headers");
    }
  }

  @Test
  void aSendToAnUnknownStoreAddressIsNotFound() throws Exception {
    try (BridgeClient c = client()) {
      c.write(send("piri.db.nope", "ping", new JsonObject(), "nf"));
      JsonObject refusal = assertRefused(c.read(), "nf", "not_found");
      assertEquals(404, refusal.getInteger("failureCode"), refusal.encode());
      assertTrue(refusal.getString("message").contains("piri.db.nope"), refusal.encode());
      BridgeClient.Failure f = assertThrows(BridgeClient.Failure.class, () -> c.request("piri.db.nope", "ping", new JsonObject()));
      assertEquals(404, f.code);
    }
  }

  @Test
  void aFrameLeftUnfinishedClosesItsConnectionAfterTheFrameTimeout() throws Exception {
    stopServer(server);
    config = backend().sameNode(config).withBridgeFrameTimeout(java.time.Duration.ofMillis(300));
    server = startServer(config);
    try (BridgeClient idle = client(); java.net.Socket half = raw(); java.net.Socket halfPrefix = raw()) {
      java.io.DataOutputStream out = new java.io.DataOutputStream(half.getOutputStream());
      out.writeInt(100);
      out.write("{\"type\":".getBytes(StandardCharsets.UTF_8));
      out.flush();
      halfPrefix.getOutputStream().write(new byte[] {0, 0});
      halfPrefix.getOutputStream().flush();

      JsonObject refusal = readUntilClosed(half);
      assertEquals("err", refusal.getString("type"), refusal.encode());
      assertTrue(refusal.getString("message").contains("bridge.frame_timeout"), refusal.encode());
      assertEquals("err", readUntilClosed(halfPrefix).getString("type"));
      // A connection that sent nothing, open since before the others, is left alone.
      assertEquals("scheduler", idle.request(StoreId.SCHEDULER.address(), "ping", new JsonObject()).getString("store"));
    }
  }

  @Test
  void aStopAnswersAWaitingClaimBeforeItClosesTheConnection() throws Exception {
    try (BridgeClient c = client()) {
      c.write(send(StoreId.REPLICATOR.address(), "claim", claim(20_000), "waiting"));
      // Requests of one connection reach a store in order: once the ping is answered, the claim waits in the store.
      c.request(StoreId.REPLICATOR.address(), "ping", new JsonObject());
      stopServer(server);
      JsonObject reply = c.read();
      assertEquals("message", reply.getString("type"), reply.encode());
      assertEquals("waiting", reply.getString("address"));
      assertEquals(0, reply.getJsonObject("body").getJsonArray("jobs").size(), reply.encode());
      assertClosed(c);
    }
  }

  @Test
  void aStoppingBridgeRefusesNewRequestsWith503AndClosesWhenIdle() throws Exception {
    int port = io.piri.db.support.TestBackend.freePort();
    Bridge bridge = await(Bridge.start(vertx, "127.0.0.1", port, config.maxBodyBytes(), java.time.Duration.ofSeconds(30)));
    try (BridgeClient c = new BridgeClient("127.0.0.1", port, 5000)) {
      assertEquals("scheduler", c.request(StoreId.SCHEDULER.address(), "ping", new JsonObject()).getString("store"));
      bridge.quiesce(5000);
      c.write(send(StoreId.SCHEDULER.address(), "ping", new JsonObject(), "late"));
      JsonObject refusal = assertRefused(c.read(), "late", "unavailable");
      assertEquals(503, refusal.getInteger("failureCode"), refusal.encode());
      c.write(new JsonObject().put("type", "ping"));
      assertEquals("pong", c.read().getString("type"));
      await(bridge.close(2000));
      assertClosed(c);
      assertThrows(java.io.IOException.class, () -> new BridgeClient("127.0.0.1", port, 2000), "no new connection");
    }
  }
}
