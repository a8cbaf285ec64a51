package io.piri.db.config;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every configuration key piri-db knows, with its default. docs/configuration.md mirrors this list. */
public final class ConfigKeys {
  public static final String DATA_DIR = "repo.data_dir";
  public static final String DB_TYPE = "repo.database.type";
  public static final String PG_URL = "repo.database.postgres.url";
  public static final String PG_MAX_OPEN = "repo.database.postgres.max_open_conns";
  public static final String PG_MAX_IDLE = "repo.database.postgres.max_idle_conns";
  public static final String PG_MAX_LIFETIME = "repo.database.postgres.conn_max_lifetime";
  public static final String PG_CONNECT_TIMEOUT = "repo.database.postgres.connect_timeout";
  public static final String SQLITE_READ_CONNECTIONS = "repo.database.sqlite.read_connections";
  public static final String ROLLUP_RETENTION = "repo.database.rollup_retention";
  public static final String BRIDGE_HOST = "bridge.host";
  public static final String BRIDGE_PORT = "bridge.port";
  public static final String BRIDGE_FRAME_TIMEOUT = "bridge.frame_timeout";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String MAX_BODY_BYTES = "limits.max_body_bytes";
  public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";
  public static final String HISTORY_RETENTION = "scheduler.history_retention";
  public static final String MESSAGE_RETENTION = "scheduler.message_retention";
  public static final String CLUSTER_ENABLED = "cluster.enabled";
  public static final String CLUSTER_HOST = "cluster.host";
  public static final String CLUSTER_PORT = "cluster.port";
  public static final String CLUSTER_BUS_PORT = "cluster.bus_port";
  public static final String CLUSTER_MEMBERS = "cluster.members";
  public static final String CLUSTER_NAME = "cluster.name";
  public static final String CLUSTER_STORES = "cluster.stores";
  public static final String CLUSTER_INSECURE = "cluster.insecure";
  public static final String CLUSTER_TLS_KEY_STORE = "cluster.tls.key_store";
  public static final String CLUSTER_TLS_KEY_STORE_PASSWORD = "cluster.tls.key_store_password";
  public static final String CLUSTER_TLS_TRUST_STORE = "cluster.tls.trust_store";
  public static final String CLUSTER_TLS_TRUST_STORE_PASSWORD = "cluster.tls.trust_store_password";
  public static final String CONSOLE_ENABLED = "console.enabled";
  public static final String CONSOLE_PREFIX = "console.prefix";
  public static final String CONSOLE_ANONYMOUS_READ = "console.anonymous_read";
  public static final String CONSOLE_REVEAL_PAYLOADS = "console.reveal_payloads";
  public static final String CONSOLE_SESSION_TTL = "console.session_ttl";
  public static final String CONSOLE_ORIGINS = "console.origins";

  public static final List<ConfigKey> ALL = List.of(
      ConfigKey.string(DATA_DIR, "data", "directory holding the SQLite files, the backend marker and the lock"),
      new ConfigKey(DB_TYPE, ConfigKey.Type.BACKEND, BackendType.SQLITE, "sqlite or postgres; fixed after the first start"),
      ConfigKey.string(PG_URL, null, "postgres://user:password@host:port/database; required when type is postgres"),
      ConfigKey.integer(PG_MAX_OPEN, 5, "connections per store pool (four pools)"),
      ConfigKey.integer(PG_MAX_IDLE, 5, "idle connections a pool keeps; above it idle connections close after 60s"),
      ConfigKey.duration(PG_MAX_LIFETIME, "30m", "a connection is closed and replaced after this age; 0 = never"),
      ConfigKey.duration(PG_CONNECT_TIMEOUT, "10s", "how long a start waits for PostgreSQL before giving up"),
      ConfigKey.integer(SQLITE_READ_CONNECTIONS, 2, "read-only connections per store file, beside its single writer (1..64)"),
      ConfigKey.duration(ROLLUP_RETENTION, "168h", "per-minute queue rollups older than this are pruned; 0 = keep forever"),
      ConfigKey.string(BRIDGE_HOST, "127.0.0.1", "TCP event-bus bridge bind address"),
      ConfigKey.integer(BRIDGE_PORT, 7300, "TCP event-bus bridge port"),
      ConfigKey.duration(BRIDGE_FRAME_TIMEOUT, "30s", "a frame begun on the bridge must arrive whole within this, or its connection is closed"),
      ConfigKey.string(HTTP_HOST, "127.0.0.1", "bind address of the HTTP endpoint (/health, /metrics)"),
      ConfigKey.integer(HTTP_PORT, 7301, "port of the HTTP endpoint; 0 = no HTTP endpoint"),
      ConfigKey.integer(MAX_BODY_BYTES, 1 << 20, "largest request body accepted, in bytes (encoded JSON)"),
      ConfigKey.duration(SHUTDOWN_TIMEOUT, "8s", "how long a stop waits for requests in flight"),
      ConfigKey.duration(HISTORY_RETENTION, "720h", "task_history rows older than this are pruned; 0 = keep forever"),
      ConfigKey.duration(MESSAGE_RETENTION, "0", "confirmed chain-message waits and finished sends that nothing refers to are pruned after this; 0 = keep forever"),
      new ConfigKey(CLUSTER_ENABLED, ConfigKey.Type.BOOL, false, "join a clustered event bus (Infinispan over JGroups, static member list)"),
      ConfigKey.string(CLUSTER_HOST, "127.0.0.1", "address this member binds and announces, for the cluster manager and the event bus"),
      ConfigKey.integer(CLUSTER_PORT, 5701, "cluster-manager (JGroups) member port"),
      ConfigKey.integer(CLUSTER_BUS_PORT, 0, "clustered event-bus port; 0 = any free port"),
      new ConfigKey(CLUSTER_MEMBERS, ConfigKey.Type.LIST, java.util.List.of(), "host:port of the members to join (their cluster.port)"),
      ConfigKey.string(CLUSTER_NAME, "piri-db", "cluster name; only members with the same name join each other"),
      new ConfigKey(CLUSTER_STORES, ConfigKey.Type.BOOL, true, "deploy the four stores here; false = reach them over the clustered bus"),
      ConfigKey.string(CLUSTER_TLS_KEY_STORE, null, "PKCS#12 file with this member's private key and certificate; enables mutual TLS"),
      ConfigKey.string(CLUSTER_TLS_KEY_STORE_PASSWORD, null, "password of cluster.tls.key_store"),
      ConfigKey.string(CLUSTER_TLS_TRUST_STORE, null, "PKCS#12 file with the certificate authority that signs the members' certificates"),
      ConfigKey.string(CLUSTER_TLS_TRUST_STORE_PASSWORD, null, "password of cluster.tls.trust_store"),
      new ConfigKey(CLUSTER_INSECURE, ConfigKey.Type.BOOL, false, "allow a non-loopback cluster.host without cluster.tls"),
      new ConfigKey(CONSOLE_ENABLED, ConfigKey.Type.BOOL, true, "serve the operator console and its /api on the HTTP endpoint"),
      ConfigKey.string(CONSOLE_PREFIX, "/", "path under which the console and its /api are served"),
      new ConfigKey(CONSOLE_ANONYMOUS_READ, ConfigKey.Type.BOOL, true, "requests without a token may read (as viewer); false = every request needs a token"),
      new ConfigKey(CONSOLE_REVEAL_PAYLOADS, ConfigKey.Type.LIST, java.util.List.of(), "queues whose payloads every reader sees; \"*\" = all; others are redacted until an operator reveals one job"),
      ConfigKey.duration(CONSOLE_SESSION_TTL, "12h", "a console login expires after this long without a request"),
      new ConfigKey(CONSOLE_ORIGINS, ConfigKey.Type.LIST, java.util.List.of(), "origins besides the console's own allowed to send mutating requests (a reverse proxy's public origin)"));

  /** {@code queues.<name>}: Piri's five queues are built in (contract §5). */
  public static final MapSection QUEUES = new MapSection("queues", List.of(
      ConfigKey.string("store", null, "replicator, aggregator or egress_tracker"),
      ConfigKey.integer("max_attempts", 10, "deliveries before a job is dead-lettered"),
      ConfigKey.duration("lease", "5s", "how long a claimed job stays invisible unless extended"),
      new ConfigKey("dedupe", ConfigKey.Type.BOOL, false, "skip jobs whose dedupe key already completed"),
      new ConfigKey("block_repeats_on_dead", ConfigKey.Type.BOOL, true, "with dedupe: also skip keys that were dead-lettered"),
      ConfigKey.duration("backoff_base", "1s", "first retry delay after a failure; doubles per attempt"),
      ConfigKey.duration("backoff_max", "5m", "longest retry delay"),
      new ConfigKey("search_fields", ConfigKey.Type.LIST, List.of(), "JSON paths of payload fields the queue's jobs can be searched by; extracted at enqueue")),
      Map.of(
          "replication", new JsonObject().put("store", "replicator").put("max_attempts", 10).put("lease", "5s"),
          "egress-tracker", new JsonObject().put("store", "egress_tracker").put("max_attempts", 10).put("lease", "5s"),
          "aggregator", new JsonObject().put("store", "aggregator").put("max_attempts", 50).put("lease", "30s")
              .put("dedupe", true).put("block_repeats_on_dead", false),
          "compute_commp", new JsonObject().put("store", "aggregator").put("max_attempts", 50).put("lease", "5s"),
          "manager", new JsonObject().put("store", "aggregator").put("max_attempts", 50).put("lease", "1m")));

  /** {@code scheduler.task_types.<name>}: Piri's four task types are built in (contract §5b). */
  public static final MapSection TASK_TYPES = new MapSection("scheduler.task_types", List.of(
      ConfigKey.integer("max_failures", 0, "failed runs before a task is dropped; 0 = never dropped"),
      ConfigKey.duration("retry_wait", "0", "wait before a failed or deferred task runs again; 0 = none set"),
      ConfigKey.integer("max_running", 0, "tasks of this type running at once per session; 0 = no limit")),
      Map.of(
          "SendTransaction", new JsonObject().put("max_failures", 1000).put("retry_wait", "5m"),
          "PDPInitPP", new JsonObject(),
          "PDPProvingPeriod", new JsonObject(),
          "PDPProve", new JsonObject().put("max_failures", 5)));

  public static final List<MapSection> MAPS = List.of(QUEUES, TASK_TYPES);

  private static final Map<String, ConfigKey> BY_PATH = new LinkedHashMap<>();

  static {
    for (ConfigKey k : ALL) BY_PATH.put(k.path(), k);
  }

  private ConfigKeys() {}

  public static ConfigKey get(String path) {
    return BY_PATH.get(path);
  }

  /** True when some known key or map section lives under this dotted prefix. */
  public static boolean isSection(String prefix) {
    String p = prefix + ".";
    return ALL.stream().anyMatch(k -> k.path().startsWith(p)) || MAPS.stream().anyMatch(m -> m.path().startsWith(p));
  }

  public static MapSection map(String path) {
    return MAPS.stream().filter(m -> m.path().equals(path)).findFirst().orElse(null);
  }
}
