package io.piri.db.cluster;

import io.piri.db.core.ExitException;
import io.piri.db.config.ConfigException;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * Builds a clustered Vert.x from {@code cluster.*}: Infinispan's cluster manager over a JGroups
 * channel configured in code ({@link JGroupsStack}), joining only the listed members. With
 * {@code cluster.tls} both doors of a member, the cluster-manager port and the event-bus port,
 * speak mutual TLS only. The server, the tests and the examples all create their clustered
 * instances here, so they behave alike.
 */
public final class Cluster {
  private Cluster() {}

  /**
   * Starts a clustered Vert.x and joins the cluster; the event bus binds {@code cluster.host} on
   * {@code cluster.bus_port}. Opens the TLS stores and resolves addresses first, so call it from
   * a thread that may block. A store that cannot be opened fails with a {@link ConfigException}
   * naming its key; any other failure (port taken, ...) names the member address.
   */
  public static Future<Vertx> vertx(PiriConfig.Cluster c) {
    ClusterManager manager;
    try {
      if (c.tls() != null) ClusterTls.check(c.tls());
      manager = clusterManager(c);
    } catch (ConfigException | ExitException e) {
      return Future.failedFuture(e);
    } catch (Exception e) {
      return Future.failedFuture(joinFailure(c, e));
    }
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(eventBusOptions(c)))
        .withClusterManager(manager)
        .buildClustered()
        .recover(e -> Future.failedFuture(joinFailure(c, e)));
  }

  /** The cluster manager of one member (membership, subscriptions); building it may block. */
  public static ClusterManager clusterManager(PiriConfig.Cluster c) throws Exception {
    return PiriClusterManager.create(c);
  }

  /**
   * The event bus of one member. With TLS, the server asks every caller for a certificate that
   * the trust store vouches for, and the client checks the server's the same way. Host names are
   * not checked: members are known by their certificate, wherever they run.
   */
  public static EventBusOptions eventBusOptions(PiriConfig.Cluster c) {
    EventBusOptions options = new EventBusOptions().setHost(c.host()).setPort(c.busPort());
    if (c.tls() == null) return options;
    return options.setSsl(true)
        .setClientAuth(ClientAuth.REQUIRED)
        .setTrustAll(false)
        .setKeyCertOptions(ClusterTls.keyStore(c.tls()))
        .setTrustOptions(ClusterTls.trustStore(c.tls()));
  }

  private static ExitException joinFailure(PiriConfig.Cluster c, Throwable e) {
    return new ExitException(ExitException.FAILED, "cannot join cluster '" + c.name() + "' as " + c.host() + ":" + c.port()
        + " (" + ConfigKeys.CLUSTER_PORT + ", event bus port " + c.busPort() + "): " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
  }
}
