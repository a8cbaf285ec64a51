package io.piri.db.cluster;

import io.piri.db.config.PiriConfig;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachemanagerlistener.annotation.Merged;
import org.infinispan.notifications.cachemanagerlistener.annotation.ViewChanged;
import org.infinispan.notifications.cachemanagerlistener.event.MergeEvent;
import org.infinispan.notifications.cachemanagerlistener.event.ViewChangedEvent;
import org.infinispan.remoting.transport.Address;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;

/**
 * vertx-infinispan's cluster manager over an Infinispan cache manager configured in code, on the
 * channel of {@link JGroupsStack}. Vert.x leaves starting and stopping a cache manager it did
 * not create to its owner: this one starts it when Vert.x joins and stops it when Vert.x leaves.
 */
final class PiriClusterManager extends InfinispanClusterManager {
  private static final Logger LOG = Logger.getLogger(PiriClusterManager.class.getName());
  private static final String DEFAULT_CACHE = "distributed-cache";
  /** The caches vertx-infinispan uses, as its own default-infinispan.xml defines them. */
  private static final List<String> REPLICATED = List.of("__vertx.subs", "__vertx.haInfo", "__vertx.nodeInfo");
  private static final String MAP_TEMPLATE = "__vertx.distributed.cache.configuration";

  private final DefaultCacheManager caches;
  private final PiriConfig.Cluster settings;
  private Vertx vertx;

  private PiriClusterManager(DefaultCacheManager caches, PiriConfig.Cluster settings) {
    super(caches);
    this.caches = caches;
    this.settings = settings;
  }

  /** A cluster manager for one member; building it resolves addresses, so it may block. */
  static PiriClusterManager create(PiriConfig.Cluster c) throws Exception {
    ClusterLogs.tune();
    JChannel channel = JGroupsStack.channel(c);
    ConfigurationBuilderHolder holder = new ConfigurationBuilderHolder(PiriClusterManager.class.getClassLoader());
    GlobalConfigurationBuilder global = holder.getGlobalConfigurationBuilder();
    global.transport().clusterName(c.name()).transport(new JGroupsTransport(channel));
    global.defaultCacheName(DEFAULT_CACHE);
    // Our own stop (drain the stores, then leave) must run first; a hook would stop the caches mid-drain.
    global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER);
    global.jmx().disable();
    holder.newConfigurationBuilder(DEFAULT_CACHE).clustering().cacheMode(CacheMode.DIST_SYNC);
    for (String name : REPLICATED) holder.newConfigurationBuilder(name).clustering().cacheMode(CacheMode.REPL_SYNC);
    holder.newConfigurationBuilder(MAP_TEMPLATE).template(true).clustering().cacheMode(CacheMode.DIST_SYNC);
    return new PiriClusterManager(new DefaultCacheManager(holder, false), c);
  }

  @Override
  public void init(Vertx vertx) {
    super.init(vertx);
    this.vertx = vertx;
  }

  @Override
  public void join(Completable<Void> promise) {
    vertx.<Void>executeBlocking(() -> {
      try {
        caches.start();
        caches.addListener(new ViewLog());
      } catch (RuntimeException e) {
        caches.stop(); // a failed start leaves threads and the port behind otherwise
        throw e;
      }
      return null;
    }, false).onComplete((ok, failure) -> {
      if (failure != null) {
        promise.fail(failure);
        return;
      }
      super.join((joined, joinFailure) -> {
        if (joinFailure == null) {
          LOG.info("joined cluster '" + settings.name() + "' as " + getNodeId() + " at " + settings.host() + ":"
              + settings.port() + (settings.tls() != null ? " (mutual TLS)" : " (no TLS)") + "; " + getNodes().size() + " members");
        }
        promise.complete(joined, joinFailure);
      });
    });
  }

  @Override
  public void leave(Completable<Void> promise) {
    super.leave((ok, failure) -> vertx.<Void>executeBlocking(() -> {
      caches.stop();
      return null;
    }, false).onComplete((stopped, stopFailure) -> promise.complete(null, failure != null ? failure : stopFailure)));
  }

  /** One line per membership change, for the operator. */
  @Listener(sync = false)
  private static final class ViewLog {
    @ViewChanged
    public void viewChanged(ViewChangedEvent e) {
      log(e, "");
    }

    @Merged
    public void merged(MergeEvent e) {
      log(e, " after a partition healed");
    }

    private static void log(ViewChangedEvent e, String how) {
      List<Address> joined = new ArrayList<>(e.getNewMembers());
      joined.removeAll(e.getOldMembers());
      List<Address> left = new ArrayList<>(e.getOldMembers());
      left.removeAll(e.getNewMembers());
      LOG.info("cluster members" + how + ": " + e.getNewMembers() + (joined.isEmpty() ? "" : ", joined " + joined)
          + (left.isEmpty() ? "" : ", left " + left));
    }
  }
}
