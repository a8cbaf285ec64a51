package io.piri.db.support;

import io.piri.db.cluster.Cluster;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.Clock;
import io.piri.db.server.PiriServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A cluster on loopback for one test class: {@code size} member ports picked free, a name of its
 * own (so that clusters of other test runs never merge with it), the full member list, and mutual
 * TLS with the key material of {@link TestTls}. Members are clustered Vert.x instances built by
 * {@link Cluster}, as the server builds them, in this JVM ({@link #start}) or in a child process
 * ({@link #env}).
 */
public final class TestCluster implements AutoCloseable {
  private final String name = "piri-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Integer> ports;
  private final List<Vertx> started = new ArrayList<>();
  private final List<PiriServer> servers = new ArrayList<>();

  public TestCluster(int size) {
    this.ports = IntStream.range(0, size).mapToObj(i -> TestBackend.freePort()).toList();
  }

  public List<String> members() {
    return ports.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  /** The {@code cluster} settings of member {@code i}. */
  public PiriConfig.Cluster member(int i, boolean stores) {
    return new PiriConfig.Cluster(true, "127.0.0.1", ports.get(i), 0, members(), name, stores, TestTls.get().member(), false);
  }

  /** The same settings as {@code PIRI_CLUSTER_*} variables, for a child process. */
  public Map<String, String> env(int i, boolean stores) {
    Map<String, String> env = new HashMap<>(TestTls.get().env());
    env.putAll(Map.of(
        "PIRI_CLUSTER_ENABLED", "true",
        "PIRI_CLUSTER_HOST", "127.0.0.1",
        "PIRI_CLUSTER_PORT", String.valueOf(ports.get(i)),
        "PIRI_CLUSTER_BUS_PORT", "0",
        "PIRI_CLUSTER_MEMBERS", members().stream().collect(Collectors.joining(",")),
        "PIRI_CLUSTER_NAME", name,
        "PIRI_CLUSTER_STORES", String.valueOf(stores)));
    return env;
  }

  /** Starts member {@code i} in this JVM; prints the time it took to join. */
  public Vertx start(int i) throws Exception {
    PiriConfig.Cluster settings = member(i, true); // first: it may make the key material
    long t0 = System.nanoTime();
    Vertx v = Cluster.vertx(settings).await(90, TimeUnit.SECONDS);
    System.out.printf("cluster %s: member %d joined in %d ms%n", name, i,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    started.add(v);
    return v;
  }

  /**
   * The configuration of a node on member {@code i}: its own data_dir (unused by a member without
   * stores) on {@code backend} ({@code postgresUrl} null for SQLite), its own bridge port.
   */
  public PiriConfig node(int i, boolean stores, Path dataDir, BackendType backend, String postgresUrl) {
    return TestBackend.base().with(dataDir, backend, postgresUrl).withBridgePort(TestBackend.freePort())
        .withCluster(member(i, stores));
  }

  /** Starts a node with {@code cfg} on {@code v}, a member started here; it stops when the cluster closes. */
  public PiriServer serve(Vertx v, PiriConfig cfg, Clock clock) throws Exception {
    PiriServer s = PiriServer.start(v, cfg, clock).await(120, TimeUnit.SECONDS);
    servers.add(s);
    return s;
  }

  public PiriServer serve(Vertx v, PiriConfig cfg) throws Exception {
    return serve(v, cfg, Clock.system(v));
  }

  /** Starts member 0 as the owner of a SQLite {@code dataDir}, serving the stores; returns its Vertx. */
  public Vertx startSqliteOwner(Path dataDir) throws Exception {
    Vertx owner = start(0);
    serve(owner, node(0, true, dataDir, BackendType.SQLITE, null));
    return owner;
  }

  /**
   * Stops the nodes started here, the last first, then leaves the cluster with every member this
   * JVM started (bounded; a stuck stop or close is reported, not awaited).
   */
  @Override
  public void close() {
    for (int i = servers.size() - 1; i >= 0; i--) {
      try {
        servers.get(i).stop().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("stopping a server failed: " + e);
      }
    }
    servers.clear();
    for (Vertx v : started) {
      try {
        v.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("closing a cluster member failed: " + e);
      }
    }
    started.clear();
  }
}
