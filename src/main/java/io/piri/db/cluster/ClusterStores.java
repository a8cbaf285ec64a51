package io.piri.db.cluster;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.piri.db.config.BackendType;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * What a clustered node learns about the stores other members serve: before deploying its own
 * ({@link #checkOwners}), and, on a member without stores, before it calls itself ready
 * ({@link #awaitRemote}). Both only send {@code ping}, so they work against any live store.
 */
public final class ClusterStores {
  private static final Logger LOG = Logger.getLogger(ClusterStores.class.getName());
  private static final long PING_TIMEOUT_MS = 3_000;
  private static final long RETRY_MS = 500;
  private static final long LOG_EVERY_MS = 5_000;

  private ClusterStores() {}

  /**
   * Refuses to deploy stores next to stores that would split or mix the data: a SQLite
   * {@code data_dir} has one owner in the whole cluster (the data_dir lock only sees one host),
   * and instances of different backends must not share addresses. PostgreSQL instances share.
   * A stale registration of a killed member does not answer, and so does not count.
   */
  public static Future<Void> checkOwners(Vertx vertx, PiriConfig config) {
    if (!vertx.isClustered()) return Future.succeededFuture();
    return ping(vertx, StoreId.SCHEDULER).transform(ar -> {
      if (ar.failed() && !answered(ar.cause())) return Future.succeededFuture();
      String theirs = ar.succeeded() ? ar.result().getString("backend") : "unknown";
      BackendType ours = config.backend();
      if (ours == BackendType.POSTGRES && BackendType.POSTGRES.id().equals(theirs)) return Future.succeededFuture();
      if (ours == BackendType.POSTGRES && ar.failed()) return Future.succeededFuture(); // starting or stopping peer
      return Future.failedFuture(new ExitException(ExitException.BAD_CONFIG, ConfigKeys.CLUSTER_STORES
          + ": another member of cluster '" + config.cluster().name() + "' already serves the stores (backend "
          + theirs + "); " + (ours == BackendType.SQLITE
              ? "a SQLite data_dir has one owner: start this member with cluster.stores false"
              : "members that deploy stores must all use PostgreSQL")));
    });
  }

  /**
   * Waits until every store answers over the clustered bus, retrying every 500 ms, and returns
   * the backend they report; fails after {@code limitMs} naming what did not answer.
   */
  public static Future<String> awaitRemote(Vertx vertx, PiriConfig config, long limitMs) {
    RemoteWait wait = new RemoteWait(vertx, config.cluster().name(), limitMs);
    wait.attempt();
    return wait.result.future();
  }

  /** One wait for the remote stores: a ping round, then a timer, until all answer or time is up. */
  private static final class RemoteWait {
    private final Vertx vertx;
    private final String clusterName;
    private final long limitMs;
    private final long start = System.currentTimeMillis();
    private final Promise<String> result = Promise.promise();
    private long nextLog = start + LOG_EVERY_MS;

    RemoteWait(Vertx vertx, String clusterName, long limitMs) {
      this.vertx = vertx;
      this.clusterName = clusterName;
      this.limitMs = limitMs;
    }

    void attempt() {
      List<Future<JsonObject>> pings = Arrays.stream(StoreId.values()).map(s -> ping(vertx, s)).toList();
      Future.join(pings).onComplete(ar -> {
        if (ar.succeeded()) {
          result.complete(pings.get(0).result().getString("backend"));
          return;
        }
        long now = System.currentTimeMillis();
        String missing = missing(pings);
        if (now - start >= limitMs) {
          result.fail(new ExitException(ExitException.FAILED, "no store answered on the cluster bus within "
              + limitMs / 1000 + "s (" + missing + "); is a member with cluster.stores true running in cluster '"
              + clusterName + "'?"));
          return;
        }
        if (now >= nextLog) {
          nextLog = now + LOG_EVERY_MS;
          LOG.info("waiting for the stores on the cluster bus: " + missing);
        }
        vertx.setTimer(RETRY_MS, t -> attempt());
      });
    }
  }

  private static Future<JsonObject> ping(Vertx vertx, StoreId store) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS).addHeader(ActionRouter.ACTION_HEADER, "ping");
    return vertx.eventBus().<JsonObject>request(store.address(), new JsonObject(), opts).map(m -> m.body());
  }

  /** True when a store replied, even with a failure (a 503 while it starts or stops). */
  private static boolean answered(Throwable e) {
    return e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE;
  }

  private static String missing(List<Future<JsonObject>> pings) {
    StringBuilder sb = new StringBuilder();
    StoreId[] stores = StoreId.values();
    for (int i = 0; i < stores.length; i++) {
      Future<JsonObject> f = pings.get(i);
      if (f.failed()) {
        if (sb.length() > 0) sb.append(", ");
        sb.append(stores[i].address()).append(": ").append(f.cause().getMessage());
      }
    }
    return sb.toString();
  }
}
