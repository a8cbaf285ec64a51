package io.piri.db.server;

import io.piri.db.StoreId;
import io.piri.db.config.PiriConfig;
import io.piri.db.queue.QueueStore;
import io.piri.db.scheduler.SchedulerStore;
import io.piri.db.store.StoreVerticle;
import io.piri.db.backend.Database;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Starts and stops one piri-db node. Start: check the backend marker (before anything is
 * created), lock {@code data_dir}, open each store's database and deploy its verticle, one store
 * after another in {@link StoreId} order, record the backend, open the bridge. Stop runs the same
 * steps backwards: a store drains its requests before its database closes.
 */
public final class PiriServer {
  private static final Logger LOG = Logger.getLogger(PiriServer.class.getName());

  private final Vertx vertx;
  private final PiriConfig config;
  private final Deque<Started> started = new ArrayDeque<>();
  private final Context root;
  private DataDirLock lock;
  private TcpEventBusBridge bridge;

  /** A running store: its verticle's deployment and the database it serves. */
  private record Started(String deploymentId, Database db) {}

  private PiriServer(Vertx vertx, PiriConfig config) {
    this.vertx = vertx;
    this.config = config;
    // Deployments made from a verticle's context become its children and are undeployed before
    // it; every store and SQLite writer is deployed from this root context so that the stop order
    // stays the one written below.
    this.root = vertx.getOrCreateContext();
  }

  /** Starts a node; call it from a thread that may block briefly (file checks and the lock). */
  public static Future<PiriServer> start(Vertx vertx, PiriConfig config) {
    PiriServer server = new PiriServer(vertx, config);
    try {
      BackendMarker.check(config.dataDir(), config.backend());
      server.lock = DataDirLock.acquire(config.dataDir());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Future<Void> chain = Future.succeededFuture();
    for (StoreId store : StoreId.values()) {
      chain = chain.compose(v -> server.onRoot(() -> server.startStore(store)));
    }
    return chain
        .compose(v -> vertx.executeBlocking(() -> {
          BackendMarker.record(config.dataDir(), config.backend());
          return null;
        }))
        .compose(v -> Bridge.start(vertx, config.bridgeHost(), config.bridgePort()))
        .map(b -> {
          server.bridge = b;
          return server;
        })
        .recover(e -> server.stop().transform(x -> Future.failedFuture(e)));
  }

  private Future<Void> startStore(StoreId store) {
    return StoreVerticle.openDatabase(vertx, config, store)
        .compose(db -> vertx.deployVerticle(verticle(store, db))
            .onSuccess(id -> started.push(new Started(id, db)))
            .onFailure(e -> db.close())
            .mapEmpty());
  }

  private StoreVerticle verticle(StoreId store, Database db) {
    return store == StoreId.SCHEDULER ? new SchedulerStore(config, db) : new QueueStore(store, config, db);
  }

  private <T> Future<T> onRoot(Supplier<Future<T>> action) {
    Promise<T> p = Promise.promise();
    root.runOnContext(v -> action.get().onComplete(p));
    return p.future();
  }

  /** The database of a running store; benchmarks and tools read its counters. */
  public Database database(StoreId store) {
    return started.stream().filter(s -> s.db().store() == store).map(Started::db).findFirst()
        .orElseThrow(() -> new IllegalStateException("store " + store.id() + " is not running"));
  }

  public PiriConfig config() {
    return config;
  }

  /** The line printed once every store answers (contract §1). */
  public String readyLine() {
    return "piri-db ready backend=" + config.backend().id() + " data_dir=" + config.dataDir()
        + " bridge=" + config.bridgeHost() + ":" + config.bridgePort();
  }

  /** Closes the bridge, stops the stores in reverse order (each drains), releases the lock. */
  public Future<Void> stop() {
    Future<Void> chain = bridge == null ? Future.succeededFuture() : bridge.close();
    bridge = null;
    chain = chain.recover(e -> Future.succeededFuture());
    while (!started.isEmpty()) {
      Started s = started.pop();
      chain = chain.compose(v -> vertx.undeploy(s.deploymentId())
          .transform(r -> s.db().close())
          .recover(e -> {
            LOG.warning("stopping store " + s.db().store().id() + " failed: " + e.getMessage());
            return Future.succeededFuture();
          }));
    }
    return chain.andThen(r -> {
      if (lock != null) {
        lock.close();
        lock = null;
      }
    });
  }
}
