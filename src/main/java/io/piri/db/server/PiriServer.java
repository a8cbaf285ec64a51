package io.piri.db.server;

import io.piri.db.datadir.BackendMarker;
import io.piri.db.datadir.DataDirLock;
import io.piri.db.bridge.Bridge;
import io.piri.db.cluster.ClusterStores;
import io.piri.db.bus.ChangeEvents;
import io.piri.db.core.Clock;
import io.piri.db.core.StoreId;
import io.piri.db.adopt.PiriDetector;
import io.piri.db.config.PiriConfig;
import io.piri.db.store.Stores;
import io.piri.db.backend.Database;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Starts and stops one piri-db node. Start: check the backend marker and that the stores are not
 * still Piri's own databases (before anything is created), lock {@code data_dir}, open each
 * store's database and deploy its verticle (the four stores at once: their files or schemas share
 * nothing, and a restart waits for the slowest migration rather than their sum), record the
 * backend, open the bridge. Stop runs the same steps backwards, except that the bridge
 * only stops taking requests before the stores stop and closes its connections after them, so
 * that the stores' last replies reach the clients; a store drains its requests before its
 * database closes.
 */
public final class PiriServer {
  private static final Logger LOG = Logger.getLogger(PiriServer.class.getName());
  /** How long a member without stores waits for them to answer before its start fails. */
  private static final long MEMBER_WAIT_MS = 60_000;
  /** Beyond the stop budget, how long Vert.x keeps bridge connections open before closing them itself. */
  private static final long BRIDGE_GRACE_MARGIN_MS = 2_000;

  private final Vertx vertx;
  private final PiriConfig config;
  private final Clock clock;
  private final Deque<Started> started = new ArrayDeque<>();
  private final Context root;
  private DataDirLock lock;
  private Bridge bridge;
  /** Stores count into it; /metrics renders it (docs/operations.md, Metrics). */
  private final NodeMetrics metrics = new NodeMetrics();
  private HttpEndpoint http;
  /** On a member without stores ({@code cluster.stores} false): the backend the remote stores report. */
  private String remoteBackend;

  /** A running store: its verticle's deployment and the database it serves. */
  private record Started(String deploymentId, Database db) {}

  private PiriServer(Vertx vertx, PiriConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
    // Deployments made from a verticle's context become its children and are undeployed before
    // it; every store and SQLite writer is deployed from this root context so that the stop order
    // stays the one written below.
    this.root = vertx.getOrCreateContext();
  }

  /**
   * Starts a node; call it from a thread that may block briefly (file checks, the lock, and on
   * PostgreSQL a look at the four schemas for Piri's tables).
   */
  public static Future<PiriServer> start(Vertx vertx, PiriConfig config) {
    return start(vertx, config, Clock.system(vertx));
  }

  /** Starts a node whose stores take their time and timers from {@code clock}. */
  public static Future<PiriServer> start(Vertx vertx, PiriConfig config, Clock clock) {
    PiriServer server = new PiriServer(vertx, config, clock);
    if (!config.cluster().stores()) return server.startMember();
    try {
      BackendMarker.check(config.dataDir(), config.backend());
      PiriDetector.refuseServe(config);
      server.lock = DataDirLock.acquire(config.dataDir());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return ClusterStores.checkOwners(vertx, config)
        .compose(v -> server.onRoot(server::startStores))
        .compose(v -> vertx.executeBlocking(() -> {
          BackendMarker.record(config.dataDir(), config.backend());
          return null;
        }))
        .compose(v -> Bridge.start(vertx, config.bridgeHost(), config.bridgePort(), config.maxBodyBytes(), config.bridgeFrameTimeout()))
        .map(b -> {
          server.bridge = b;
          return server;
        })
        .compose(s -> HttpEndpoint.start(vertx, config, s.metrics).map(h -> {
          s.http = h;
          return s;
        }))
        .recover(e -> server.stop().transform(x -> Future.failedFuture(e)));
  }

  /**
   * A cluster member without stores: no backend marker, no data_dir lock, no database. It waits
   * until the stores answer over the clustered bus, then opens its bridge (which forwards there).
   */
  private Future<PiriServer> startMember() {
    return ClusterStores.awaitRemote(vertx, config, MEMBER_WAIT_MS)
        .compose(backend -> {
          remoteBackend = backend;
          return Bridge.start(vertx, config.bridgeHost(), config.bridgePort(), config.maxBodyBytes(), config.bridgeFrameTimeout());
        })
        .map(b -> {
          bridge = b;
          return this;
        })
        .compose(s -> HttpEndpoint.start(vertx, config, metrics).map(h -> {
          http = h;
          return s;
        }))
        .recover(e -> stop().transform(x -> Future.failedFuture(e)));
  }

  /**
   * Starts every store and waits for all of them, failed or not, so that a failure leaves no store
   * half started behind the stop that follows it. The failure reported is that of the first store
   * in {@link StoreId} order, as when they started one by one; they stop in the reverse of that
   * order whichever finished starting first.
   */
  private Future<Void> startStores() {
    List<Future<Void>> all = Arrays.stream(StoreId.values()).map(this::startStore).toList();
    return Future.join(all).transform(r -> {
      List<Started> ordered = new ArrayList<>(started);
      ordered.sort(Comparator.comparing((Started s) -> s.db().store()).reversed());
      started.clear();
      started.addAll(ordered);
      return all.stream().filter(Future::failed).findFirst().orElse(Future.succeededFuture());
    });
  }

  private Future<Void> startStore(StoreId store) {
    return Databases.open(vertx, config, store)
        .onSuccess(db -> db.bindMetrics(metrics.registry()))
        .compose(db -> vertx.deployVerticle(
                Stores.verticle(store, config, db, clock, metrics.registry(), new ChangeEvents(vertx.eventBus())))
            .onSuccess(id -> started.push(new Started(id, db)))
            .onFailure(e -> db.close())
            .mapEmpty());
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

  /** The port /health and /metrics listen on; -1 when the endpoint is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The operator console on the HTTP endpoint; null when the endpoint or the console is off. */
  public io.piri.db.console.Console console() {
    return http == null ? null : http.console();
  }

  public PiriConfig config() {
    return config;
  }

  /** The line printed once every store answers (contract §1). */
  public String readyLine() {
    String backend = remoteBackend != null ? remoteBackend : config.backend().id();
    return "piri-db ready backend=" + backend + " data_dir=" + config.dataDir()
        + " bridge=" + config.bridgeHost() + ":" + config.bridgePort();
  }

  /**
   * Stops the node. The bridge first stops taking connections and requests (new ones get 503)
   * but keeps its connections open; the stores stop in reverse order, each answering its waiting
   * claims at once and draining its requests in flight; then the bridge writes the last replies
   * and closes its connections; then the lock is released.
   */
  public Future<Void> stop() {
    long budgetMs = Math.max(1, config.shutdownTimeout().toMillis());
    long deadline = System.nanoTime() + budgetMs * 1_000_000;
    Future<Void> chain = http == null ? Future.succeededFuture() : http.close().recover(e -> Future.succeededFuture());
    http = null;
    var openBridge = bridge;
    bridge = null;
    if (openBridge != null) openBridge.quiesce(budgetMs + BRIDGE_GRACE_MARGIN_MS);
    while (!started.isEmpty()) {
      Started s = started.pop();
      chain = chain.compose(v -> vertx.undeploy(s.deploymentId())
          .transform(r -> s.db().close())
          .recover(e -> {
            LOG.warning("stopping store " + s.db().store().id() + " failed: " + e.getMessage());
            return Future.succeededFuture();
          }));
    }
    if (openBridge != null) {
      // Requests in flight to stores elsewhere in a cluster may still be answered until the deadline.
      chain = chain.compose(v -> openBridge.close(Math.max(0, (deadline - System.nanoTime()) / 1_000_000)))
          .recover(e -> Future.succeededFuture());
    }
    return chain.andThen(r -> {
      if (lock != null) {
        lock.close();
        lock = null;
      }
    });
  }
}
