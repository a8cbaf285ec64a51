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
