package io.piri.db.support;

import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
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
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(40_000);
    if (action != null) opts.addHeader(ActionRouter.ACTION_HEADER, action);
    return vertx.eventBus().<JsonObject>request(store.address(), body, opts).map(m -> m.body());
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
