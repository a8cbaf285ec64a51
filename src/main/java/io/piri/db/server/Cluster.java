package io.piri.db.server;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.piri.db.ExitException;
import io.piri.db.config.ConfigKeys;
import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;

/**
 * Builds a clustered Vert.x from {@code cluster.*}: Hazelcast configured in code (no XML on the
 * class path can change it), joining only the listed members over TCP/IP. The server, the tests
 * and the examples all create their clustered instances here, so they behave alike.
 */
public final class Cluster {
  /**
   * Hazelcast properties we set unless a JVM system property of the same name says otherwise.
   * Values set on the Config would win over system properties, hence the check in {@link #property}.
   */
  private static final Map<String, String> DEFAULTS = Map.of(
      // Never call home from a storage node.
      "hazelcast.phone.home.enabled", "false",
      // Our own stop (drain the stores, then leave) must run before Hazelcast goes away; its hook
      // would terminate the member in the middle of the drain.
      "hazelcast.shutdownhook.enabled", "false",
      "hazelcast.logging.type", "jdk",
      // A killed member is noticed in about 10s rather than Hazelcast's 60s: until then requests
      // routed to it wait for their timeout.
      "hazelcast.heartbeat.interval.seconds", "1",
      "hazelcast.max.no.heartbeat.seconds", "10",
      // The master's pause to batch joiners (5s by default) is most of a member's join time.
      "hazelcast.wait.seconds.before.join", "1",
      "hazelcast.max.wait.seconds.before.join", "5");

  private Cluster() {}

  /** The Hazelcast configuration of one member. */
  public static Config hazelcastConfig(PiriConfig.Cluster c) {
    Config cfg = new Config();
    cfg.setClusterName(c.name());
    DEFAULTS.forEach((k, v) -> property(cfg, k, v));
    // Bind and announce cluster.host only (not every interface), also when it is loopback, which
    // Hazelcast's interface matching would skip.
    property(cfg, "hazelcast.local.localAddress", c.host());
    property(cfg, "hazelcast.socket.bind.any", "false");

    NetworkConfig net = cfg.getNetworkConfig();
    net.setPort(c.port()).setPortAutoIncrement(false).setPortCount(1);
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.members());

    // The structures Vert.x keeps in Hazelcast, as in vertx-hazelcast's default-cluster.xml.
    cfg.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    cfg.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    cfg.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return cfg;
  }

  /**
   * Starts a clustered Vert.x and joins the cluster; the event bus binds {@code cluster.host} on
   * {@code cluster.bus_port}. A failure (port taken, ...) names the member address.
   */
  public static Future<Vertx> vertx(PiriConfig.Cluster c) {
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(new EventBusOptions().setHost(c.host()).setPort(c.busPort()));
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcastConfig(c)))
        .buildClustered()
        .recover(e -> Future.failedFuture(new ExitException(ExitException.FAILED,
            "cannot join cluster '" + c.name() + "' as " + c.host() + ":" + c.port() + " (" + ConfigKeys.CLUSTER_PORT
                + ", event bus port " + c.busPort() + "): " + rootMessage(e), e)));
  }

  private static void property(Config cfg, String key, String value) {
    if (System.getProperty(key) == null) cfg.setProperty(key, value);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().lines().findFirst().orElse("");
  }
}
