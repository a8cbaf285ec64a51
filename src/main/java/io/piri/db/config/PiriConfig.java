package io.piri.db.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The validated configuration of one piri-db process. */
public record PiriConfig(
    Path dataDir,
    BackendType backend,
    Postgres postgres,
    Sqlite sqlite,
    String bridgeHost,
    int bridgePort,
    Duration bridgeFrameTimeout,
    int maxBodyBytes,
    Duration shutdownTimeout,
    Map<String, QueueConfig> queues,
    Map<String, TaskTypeConfig> taskTypes,
    Duration historyRetention,
    Duration messageRetention,
    Cluster cluster,
    Http http,
    Console console,
    Duration rollupRetention) {

  /** PostgreSQL settings; {@code url} is null unless the backend is postgres. */
  public record Postgres(String url, int maxOpenConns, int maxIdleConns, Duration connMaxLifetime, Duration connectTimeout) {
    /** The URL with its password replaced, for logs and errors. */
    public String maskedUrl() {
      return PostgresUrl.mask(url);
    }
  }

  /** SQLite settings: the read-only connections of each store's read pool, beside its writer. */
  public record Sqlite(int readConnections) {}

  /** {@code http.*}: the /health and /metrics endpoint; port 0 = none. */
  public record Http(String host, int port) {}

  /**
   * {@code console.*}: the operator console on the HTTP endpoint. {@code prefix} starts and ends
   * with '/'; {@code revealPayloads} names queues shown unredacted ("*" = all).
   */
  public record Console(boolean enabled, String prefix, boolean anonymousRead, java.util.List<String> revealPayloads,
                        Duration sessionTtl, java.util.List<String> origins) {
    public boolean reveals(String queue) {
      return revealPayloads.contains("*") || revealPayloads.contains(queue);
    }

    static Console from(Map<String, Object> v) {
      String prefix = (String) v.get(ConfigKeys.CONSOLE_PREFIX);
      if (!prefix.matches("/([A-Za-z0-9._~-]+/?)*")) {
        throw new ConfigException(ConfigKeys.CONSOLE_PREFIX, "must be a path such as / or /console, got \"" + prefix + "\"");
      }
      if (!prefix.endsWith("/")) prefix = prefix + "/";
      if (prefix.equals("/health/") || prefix.equals("/metrics/")) {
        throw new ConfigException(ConfigKeys.CONSOLE_PREFIX, "must not be /health or /metrics");
      }
      Duration ttl = (Duration) v.get(ConfigKeys.CONSOLE_SESSION_TTL);
      if (ttl.toSeconds() < 60) throw new ConfigException(ConfigKeys.CONSOLE_SESSION_TTL, "must be at least 1m");
      @SuppressWarnings("unchecked")
      java.util.List<String> origins = (java.util.List<String>) v.get(ConfigKeys.CONSOLE_ORIGINS);
      for (String o : origins) {
        if (!o.matches("https?://[^/\\s]+")) {
          throw new ConfigException(ConfigKeys.CONSOLE_ORIGINS, "entries must be scheme://host[:port] without a path, got \"" + o + "\"");
        }
      }
      @SuppressWarnings("unchecked")
      java.util.List<String> reveal = (java.util.List<String>) v.get(ConfigKeys.CONSOLE_REVEAL_PAYLOADS);
      return new Console((Boolean) v.get(ConfigKeys.CONSOLE_ENABLED), prefix, (Boolean) v.get(ConfigKeys.CONSOLE_ANONYMOUS_READ),
          java.util.List.copyOf(reveal), ttl, java.util.List.copyOf(origins));
    }
  }

  /**
   * {@code cluster.*}: a clustered event bus. {@code members} are {@code host:port} of other
   * members' {@code port}; {@code stores} false makes a member that deploys no store; {@code tls}
   * (null = none) secures both the membership and the event bus.
   */
  public record Cluster(boolean enabled, String host, int port, int busPort, java.util.List<String> members,
                        String name, boolean stores, Tls tls, boolean insecure) {
    /** Not clustered, stores here: what a process without a {@code cluster} section runs as. */
    public static final Cluster LOCAL =
        new Cluster(false, "127.0.0.1", 5701, 0, java.util.List.of(), "piri-db", true, null, false);

    @SuppressWarnings("unchecked")
    static Cluster from(Map<String, Object> v) {
      String host = (String) v.get(ConfigKeys.CLUSTER_HOST);
      if (host.isBlank()) throw new ConfigException(ConfigKeys.CLUSTER_HOST, "must not be empty");
      int port = (Integer) v.get(ConfigKeys.CLUSTER_PORT);
      if (port < 1 || port > 65535) throw new ConfigException(ConfigKeys.CLUSTER_PORT, "must be a TCP port (1..65535), got " + port);
      int busPort = (Integer) v.get(ConfigKeys.CLUSTER_BUS_PORT);
      if (busPort > 65535) throw new ConfigException(ConfigKeys.CLUSTER_BUS_PORT, "must be 0 (any free port) or a TCP port, got " + busPort);
      java.util.List<String> members = (java.util.List<String>) v.get(ConfigKeys.CLUSTER_MEMBERS);
      for (String m : members) HostPort.parse(ConfigKeys.CLUSTER_MEMBERS, m);
      String name = (String) v.get(ConfigKeys.CLUSTER_NAME);
      if (name.isBlank()) throw new ConfigException(ConfigKeys.CLUSTER_NAME, "must not be empty");
      boolean enabled = (Boolean) v.get(ConfigKeys.CLUSTER_ENABLED);
      boolean stores = (Boolean) v.get(ConfigKeys.CLUSTER_STORES);
      // A process without stores and without a cluster would serve nothing at all.
      if (!stores && !enabled) throw new ConfigException(ConfigKeys.CLUSTER_STORES, "may be false only when cluster.enabled is true");
      Tls tls = Tls.from(v);
      boolean insecure = (Boolean) v.get(ConfigKeys.CLUSTER_INSECURE);
      if (enabled && tls == null && !insecure && !Loopback.is(host)) {
        throw new ConfigException(ConfigKeys.CLUSTER_HOST, "is " + host + ", not a loopback address: a member reachable"
            + " from the network needs " + ConfigKeys.CLUSTER_TLS_KEY_STORE + " and " + ConfigKeys.CLUSTER_TLS_TRUST_STORE
            + " (mutual TLS), or " + ConfigKeys.CLUSTER_INSECURE + " true on a private network");
      }
      return new Cluster(enabled, host, port, busPort, java.util.List.copyOf(members), name, stores, tls, insecure);
    }

    /** A copy with other TLS settings; tests give members and strangers their own. */
    public Cluster withTls(Tls t) {
      return new Cluster(enabled, host, port, busPort, members, name, stores, t, insecure);
    }
  }

  /**
   * {@code cluster.tls.*}: PKCS#12 stores for mutual TLS between members. Passwords may be null
   * (a store without one); they never appear in {@link #toString}.
   */
  public record Tls(String keyStore, String keyStorePassword, String trustStore, String trustStorePassword) {
    static Tls from(Map<String, Object> v) {
      String keyStore = blankToNull((String) v.get(ConfigKeys.CLUSTER_TLS_KEY_STORE));
      String trustStore = blankToNull((String) v.get(ConfigKeys.CLUSTER_TLS_TRUST_STORE));
      // Passwords alone are ignored: a shell that exports them for the server runs the tools too.
      if (keyStore == null && trustStore == null) return null;
      // One without the other would leave a door half open: both sides of every connection check.
      if (keyStore == null) throw new ConfigException(ConfigKeys.CLUSTER_TLS_KEY_STORE, "is required with " + ConfigKeys.CLUSTER_TLS_TRUST_STORE);
      if (trustStore == null) throw new ConfigException(ConfigKeys.CLUSTER_TLS_TRUST_STORE, "is required with " + ConfigKeys.CLUSTER_TLS_KEY_STORE);
      return new Tls(keyStore, (String) v.get(ConfigKeys.CLUSTER_TLS_KEY_STORE_PASSWORD), trustStore,
          (String) v.get(ConfigKeys.CLUSTER_TLS_TRUST_STORE_PASSWORD));
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
      return "Tls[keyStore=" + keyStore + ", keyStorePassword=" + mask(keyStorePassword) + ", trustStore=" + trustStore
          + ", trustStorePassword=" + mask(trustStorePassword) + "]";
    }

    private static String mask(String password) {
      return password == null ? "null" : "***";
    }
  }

  static PiriConfig from(Map<String, Object> v, Map<String, Map<String, Map<String, Object>>> maps) {
    Cluster cluster = Cluster.from(v);
    BackendType backend = (BackendType) v.get(ConfigKeys.DB_TYPE);
    String dataDir = (String) v.get(ConfigKeys.DATA_DIR);
    if (dataDir.isBlank()) throw new ConfigException(ConfigKeys.DATA_DIR, "must not be empty");
    String url = (String) v.get(ConfigKeys.PG_URL);
    if (backend == BackendType.POSTGRES && cluster.stores()) {
      if (url == null || url.isBlank()) {
        throw new ConfigException(ConfigKeys.PG_URL, "is required when repo.database.type is postgres");
      }
      PostgresUrl.validate(ConfigKeys.PG_URL, url);
    }
    int maxOpen = (Integer) v.get(ConfigKeys.PG_MAX_OPEN);
    int maxIdle = (Integer) v.get(ConfigKeys.PG_MAX_IDLE);
    if (maxOpen < 1) throw new ConfigException(ConfigKeys.PG_MAX_OPEN, "must be at least 1, got " + maxOpen);
    if (maxIdle > maxOpen) {
      throw new ConfigException(ConfigKeys.PG_MAX_IDLE, "must not exceed max_open_conns (" + maxOpen + "), got " + maxIdle);
    }
    Duration connectTimeout = (Duration) v.get(ConfigKeys.PG_CONNECT_TIMEOUT);
    if (connectTimeout.isZero()) throw new ConfigException(ConfigKeys.PG_CONNECT_TIMEOUT, "must be positive");
    int port = (Integer) v.get(ConfigKeys.BRIDGE_PORT);
    if (port < 1 || port > 65535) throw new ConfigException(ConfigKeys.BRIDGE_PORT, "must be a TCP port (1..65535), got " + port);
    Duration frameTimeout = (Duration) v.get(ConfigKeys.BRIDGE_FRAME_TIMEOUT);
    if (frameTimeout.toMillis() < 1) throw new ConfigException(ConfigKeys.BRIDGE_FRAME_TIMEOUT, "must be at least 1ms");
    int maxBody = (Integer) v.get(ConfigKeys.MAX_BODY_BYTES);
    if (maxBody < 1024) throw new ConfigException(ConfigKeys.MAX_BODY_BYTES, "must be at least 1024, got " + maxBody);
    return new PiriConfig(
        Path.of(dataDir),
        backend,
        new Postgres(backend == BackendType.POSTGRES ? url : null, maxOpen, maxIdle,
            (Duration) v.get(ConfigKeys.PG_MAX_LIFETIME), connectTimeout),
        sqlite(v),
        (String) v.get(ConfigKeys.BRIDGE_HOST),
        port,
        frameTimeout,
        maxBody,
        (Duration) v.get(ConfigKeys.SHUTDOWN_TIMEOUT),
        queues(maps.get(ConfigKeys.QUEUES.path())),
        taskTypes(maps.get(ConfigKeys.TASK_TYPES.path())),
        (Duration) v.get(ConfigKeys.HISTORY_RETENTION),
        (Duration) v.get(ConfigKeys.MESSAGE_RETENTION),
        cluster,
        http(v),
        Console.from(v),
        rollupRetention(v));
  }

  private static Duration rollupRetention(Map<String, Object> v) {
    Duration d = (Duration) v.get(ConfigKeys.ROLLUP_RETENTION);
    if (!d.isZero() && d.toMinutes() < 1) throw new ConfigException(ConfigKeys.ROLLUP_RETENTION, "must be 0 or at least 1m");
    return d;
  }

  private static Sqlite sqlite(Map<String, Object> v) {
    int readers = (Integer) v.get(ConfigKeys.SQLITE_READ_CONNECTIONS);
    if (readers < 1 || readers > 64) {
      throw new ConfigException(ConfigKeys.SQLITE_READ_CONNECTIONS, "must be between 1 and 64, got " + readers);
    }
    return new Sqlite(readers);
  }

  private static Http http(Map<String, Object> v) {
    int port = (Integer) v.get(ConfigKeys.HTTP_PORT);
    if (port < 0 || port > 65535) throw new ConfigException(ConfigKeys.HTTP_PORT, "must be a TCP port (1..65535) or 0 for none, got " + port);
    String host = (String) v.get(ConfigKeys.HTTP_HOST);
    if (host.isBlank()) throw new ConfigException(ConfigKeys.HTTP_HOST, "must not be empty");
    return new Http(host, port);
  }

  /** A copy with another HTTP endpoint port; tests give each node a free one. */
  public PiriConfig withHttpPort(int port) {
    return new PiriConfig(dataDir, backend, postgres, sqlite, bridgeHost, bridgePort, bridgeFrameTimeout, maxBodyBytes, shutdownTimeout, queues,
        taskTypes, historyRetention, messageRetention, cluster, new Http(http.host(), port), console, rollupRetention);
  }

  private static final java.util.Set<String> QUEUE_STORES = java.util.Set.of("replicator", "aggregator", "egress_tracker");

  private static Map<String, QueueConfig> queues(Map<String, Map<String, Object>> entries) {
    Map<String, QueueConfig> out = new java.util.TreeMap<>();
    entries.forEach((name, f) -> {
      String key = "queues." + name + ".";
      String store = (String) f.get("store");
      if (store == null) throw new ConfigException(key + "store", "is required (replicator, aggregator or egress_tracker)");
      if (!QUEUE_STORES.contains(store)) {
        throw new ConfigException(key + "store", "must be replicator, aggregator or egress_tracker, got \"" + store + "\"");
      }
      int attempts = (Integer) f.get("max_attempts");
      if (attempts < 1 || attempts > 1000) throw new ConfigException(key + "max_attempts", "must be between 1 and 1000, got " + attempts);
      Duration lease = (Duration) f.get("lease");
      if (lease.toMillis() < 100) throw new ConfigException(key + "lease", "must be at least 100ms");
      Duration base = (Duration) f.get("backoff_base");
      Duration max = (Duration) f.get("backoff_max");
      if (max.compareTo(base) < 0) throw new ConfigException(key + "backoff_max", "must not be shorter than backoff_base");
      @SuppressWarnings("unchecked")
      List<String> fields = (List<String>) f.get("search_fields");
      for (String path : fields) {
        if (!QueueConfig.SEARCH_PATH.matcher(path).matches()) {
          throw new ConfigException(key + "search_fields", "\"" + path + "\" is not a search path such as \"$.piece\" or \"$.roots[0].cid\"");
        }
      }
      if (fields.size() > 16) throw new ConfigException(key + "search_fields", "at most 16 paths, got " + fields.size());
      if (new java.util.HashSet<>(fields).size() != fields.size()) throw new ConfigException(key + "search_fields", "names a path twice");
      out.put(name, new QueueConfig(name, store, attempts, lease, (Boolean) f.get("dedupe"),
          (Boolean) f.get("block_repeats_on_dead"), base, max, List.copyOf(fields)));
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  private static Map<String, TaskTypeConfig> taskTypes(Map<String, Map<String, Object>> entries) {
    Map<String, TaskTypeConfig> out = new java.util.TreeMap<>();
    entries.forEach((name, f) -> out.put(name, new TaskTypeConfig(name, (Integer) f.get("max_failures"),
        (Duration) f.get("retry_wait"), (Integer) f.get("max_running"))));
    return java.util.Collections.unmodifiableMap(out);
  }

  /** A copy with another data directory and backend; tests and tools use it. */
  public PiriConfig with(Path dataDir, BackendType backend, String postgresUrl) {
    return new PiriConfig(dataDir, backend,
        new Postgres(postgresUrl, postgres.maxOpenConns(), postgres.maxIdleConns(), postgres.connMaxLifetime(), postgres.connectTimeout()),
        sqlite, bridgeHost, bridgePort, bridgeFrameTimeout, maxBodyBytes, shutdownTimeout, queues, taskTypes, historyRetention, messageRetention, cluster, http, console, rollupRetention);
  }

  public PiriConfig withCluster(Cluster c) {
    return new PiriConfig(dataDir, backend, postgres, sqlite, bridgeHost, bridgePort, bridgeFrameTimeout, maxBodyBytes, shutdownTimeout, queues,
        taskTypes, historyRetention, messageRetention, c, http, console, rollupRetention);
  }

  /** A copy with another bridge frame timeout; tests use a short one. */
  public PiriConfig withBridgeFrameTimeout(Duration timeout) {
    return new PiriConfig(dataDir, backend, postgres, sqlite, bridgeHost, bridgePort, timeout, maxBodyBytes, shutdownTimeout, queues,
        taskTypes, historyRetention, messageRetention, cluster, http, console, rollupRetention);
  }

  public PiriConfig withBridgePort(int port) {
    return new PiriConfig(dataDir, backend, postgres, sqlite, bridgeHost, port, bridgeFrameTimeout, maxBodyBytes, shutdownTimeout, queues,
        taskTypes, historyRetention, messageRetention, cluster, http, console, rollupRetention);
  }

  /** A copy with other console settings; tests use it. */
  public PiriConfig withConsole(Console c) {
    return new PiriConfig(dataDir, backend, postgres, sqlite, bridgeHost, bridgePort, bridgeFrameTimeout, maxBodyBytes, shutdownTimeout, queues,
        taskTypes, historyRetention, messageRetention, cluster, http, c, rollupRetention);
  }
}
