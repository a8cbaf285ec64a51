package io.piri.db.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.ExitException;
import io.piri.db.Main;
import io.piri.db.StoreId;
import io.piri.db.cli.BridgeClient;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP event-bus bridge and the {@code call} command that uses it. */
public abstract class BridgeTestBase extends ServerTestBase {

  @BeforeEach
  void start() throws Exception {
    startServer();
  }

  private BridgeClient client() throws Exception {
    return new BridgeClient("127.0.0.1", config.bridgePort(), 5000);
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
    Captured ok = run("call", StoreId.AGGREGATOR.address(), "ping", "{}", "--bridge", bridge);
    assertEquals(0, ok.code);
    assertEquals("aggregator", new JsonObject(ok.out.trim()).getString("store"));

    Captured bad = run("call", StoreId.AGGREGATOR.address(), "explode", "--bridge", bridge);
    assertEquals(ExitException.REQUEST_FAILED, bad.code);
    JsonObject err = new JsonObject(bad.err.trim());
    assertEquals(400, err.getInteger("code"));
    assertEquals("invalid_argument", err.getString("error"));
    assertTrue(err.getString("message").contains("explode"));
  }

  /** A raw connection to the bridge, for frames the BridgeClient would never write. */
  private java.net.Socket raw() throws Exception {
    java.net.Socket s = new java.net.Socket("127.0.0.1", config.bridgePort());
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
    try (BridgeClient bystander = client(); java.net.Socket s = raw()) {
      long t0 = System.nanoTime();
      java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
      out.writeInt(1 << 30); // a forged 1 GiB frame
      out.write("{\"type\":\"send\"".getBytes(StandardCharsets.UTF_8));
      out.flush();
      JsonObject refusal = readUntilClosed(s);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(ms < 3000, "closed after " + ms + " ms");
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
      assertEquals("access_denied", c.read().getString("message"));
      c.write(new JsonObject().put("type", "frobnicate"));
      assertEquals("err", c.read().getString("type"));
      c.write(new JsonObject().put("type", "send").put("address", StoreId.SCHEDULER.address()).put("replyAddress", "r")
          .put("headers", new JsonObject().put("action", 7)));
      assertEquals("err", c.read().getString("type"));
      assertEquals("scheduler", c.request(StoreId.SCHEDULER.address(), "ping", new JsonObject()).getString("store"));
    }
  }

  private record Captured(int code, String out, String err) {}

  private static synchronized Captured run(String... args) {
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
