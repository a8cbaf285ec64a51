package io.piri.db.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.Clock;
import io.piri.db.server.PiriServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of every suite that runs real servers: a subclass per backend supplies {@link #backend()}.
 * Servers started with {@link #startServer} run on {@link #clock}, whose time moves only when the
 * test advances it, and are stopped after each test.
 */
@ExtendWith(VertxExtension.class)
public abstract class ServerTestBase {
  @TempDir protected Path tmp;
  protected Vertx vertx;
  protected PiriConfig config;
  protected TestClock clock;
  private final List<PiriServer> servers = new ArrayList<>();
  private final List<Vertx> otherVertx = new ArrayList<>();

  protected abstract TestBackend backend();

  @BeforeEach
  void setUpServerBase() {
    vertx = Vertx.vertx();
    clock = new TestClock();
    config = backend().freshConfig(tmp.resolve("data"));
  }

  @AfterEach
  void tearDownServerBase() throws Exception {
    for (PiriServer s : servers) {
      s.stop().await(20, TimeUnit.SECONDS);
    }
    servers.clear();
    vertx.close().await(20, TimeUnit.SECONDS);
    for (Vertx v : otherVertx) v.close().await(20, TimeUnit.SECONDS);
    otherVertx.clear();
  }

  /** This test's node (its data_dir, database and bridge port) with the configuration {@code sections}. */
  protected PiriConfig thisNodeWith(JsonObject sections) {
    return ConfigLoader.fromJson(sections, Map.of())
        .with(config.dataDir(), config.backend(), config.postgres().url()).withBridgePort(config.bridgePort());
  }

  /**
   * Starts {@code cfg} as a second node on the same PostgreSQL, with its own data_dir, bridge port
   * and Vertx, so that both nodes serve the stores on their own bus; returns that Vertx. It stops
   * after the test.
   */
  private PiriServer secondNode;

  protected Vertx startSecondNode(PiriConfig cfg) throws Exception {
    assertEquals(BackendType.POSTGRES, config.backend(), "a second node needs PostgreSQL");
    Vertx v = Vertx.vertx();
    otherVertx.add(v);
    PiriConfig second = cfg.with(tmp.resolve("data2"), BackendType.POSTGRES, config.postgres().url())
        .withBridgePort(TestBackend.freePort());
    secondNode = await(PiriServer.start(v, second, serverClock(v)));
    servers.add(secondNode);
    return v;
  }

  /** Stops the node of {@link #startSecondNode} before the test ends, as an instance that goes away. */
  protected void stopSecondNode() throws Exception {
    stopServer(secondNode);
    secondNode = null;
  }

  /** Starts a node and waits for it; throws what the start failed with. */
  protected PiriServer startServer(PiriConfig cfg) throws Exception {
    PiriServer s = await(PiriServer.start(vertx, cfg, serverClock(vertx)));
    servers.add(s);
    return s;
  }

  /**
   * The clock of a server started on {@code v}: {@link #clock}, unless a suite overrides it to let
   * time pass by itself (a load test whose retry waits must end while it runs).
   */
  protected Clock serverClock(Vertx v) {
    return clock;
  }

  protected PiriServer startServer() throws Exception {
    return startServer(config);
  }

  protected void stopServer(PiriServer s) throws Exception {
    servers.remove(s);
    s.stop().await(20, TimeUnit.SECONDS);
  }

  /** Sends one request on the event bus and waits for the reply body. */
  protected JsonObject call(StoreId store, String action, Object body) throws Exception {
    return await(request(store, action, body));
  }

  protected Future<JsonObject> request(StoreId store, String action, Object body) {
    return request(vertx, store, action, body);
  }

  /** Sends one request on the event bus of {@code v}. */
  protected static Future<JsonObject> request(Vertx v, StoreId store, String action, Object body) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(40_000);
    if (action != null) opts.addHeader(ActionRouter.ACTION_HEADER, action);
    return v.eventBus().<JsonObject>request(store.address(), body, opts).map(m -> m.body());
  }

  /** Whether {@code queue} of {@code store} is paused, as its stats say. */
  protected boolean queuePaused(StoreId store, String queue) throws Exception {
    return call(store, "stats", new JsonObject().put("queue", queue)).getJsonObject("queues").getJsonObject(queue).getBoolean("paused");
  }

  /**
   * After a resume of {@code queue}, which held one job back: a claim gets that job, and the resume
   * is the newest row of the store's audit trail; returns that row.
   */
  protected JsonObject assertResumedWithItsJob(StoreId store, String queue) throws Exception {
    assertEquals(1, call(store, "claim", new JsonObject().put("queue", queue)).getJsonArray("jobs").size(), "a claim gets the job");
    JsonObject audit = call(store, "audit-list", new JsonObject()).getJsonArray("rows").getJsonObject(0);
    assertEquals("resume", audit.getString("action"));
    return audit;
  }

  /** Sends a request that must fail and returns the failure. */
  protected ReplyException callFails(StoreId store, String action, Object body) throws Exception {
    try {
      JsonObject ok = call(store, action, body);
      throw new AssertionError("expected a failure, got " + ok);
    } catch (ReplyException e) {
      return e;
    }
  }

  protected static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }
}
