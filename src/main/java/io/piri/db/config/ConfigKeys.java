package io.piri.db.config;

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
  public static final String BRIDGE_HOST = "bridge.host";
  public static final String BRIDGE_PORT = "bridge.port";
  public static final String MAX_BODY_BYTES = "limits.max_body_bytes";
  public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout";

  public static final List<ConfigKey> ALL = List.of(
      ConfigKey.string(DATA_DIR, "data", "directory holding the SQLite files, the backend marker and the lock"),
      new ConfigKey(DB_TYPE, ConfigKey.Type.BACKEND, BackendType.SQLITE, "sqlite or postgres; fixed after the first start"),
      ConfigKey.string(PG_URL, null, "postgres://user:password@host:port/database; required when type is postgres"),
      ConfigKey.integer(PG_MAX_OPEN, 5, "connections per store pool (four pools)"),
      ConfigKey.integer(PG_MAX_IDLE, 5, "idle connections a pool keeps; above it idle connections close after 60s"),
      ConfigKey.duration(PG_MAX_LIFETIME, "30m", "a connection is closed and replaced after this age; 0 = never"),
      ConfigKey.duration(PG_CONNECT_TIMEOUT, "10s", "how long a start waits for PostgreSQL before giving up"),
      ConfigKey.string(BRIDGE_HOST, "127.0.0.1", "TCP event-bus bridge bind address"),
      ConfigKey.integer(BRIDGE_PORT, 7300, "TCP event-bus bridge port; 0 = any free port"),
      ConfigKey.integer(MAX_BODY_BYTES, 1 << 20, "largest request body accepted, in bytes (encoded JSON)"),
      ConfigKey.duration(SHUTDOWN_TIMEOUT, "8s", "how long a stop waits for requests in flight"));

  private static final Map<String, ConfigKey> BY_PATH = new LinkedHashMap<>();

  static {
    for (ConfigKey k : ALL) BY_PATH.put(k.path(), k);
  }

  private ConfigKeys() {}

  public static ConfigKey get(String path) {
    return BY_PATH.get(path);
  }

  /** True when some known key lives under this dotted prefix (so the prefix is a section). */
  public static boolean isSection(String prefix) {
    String p = prefix + ".";
    return ALL.stream().anyMatch(k -> k.path().startsWith(p));
  }
}
