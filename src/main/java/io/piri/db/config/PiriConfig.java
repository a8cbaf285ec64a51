package io.piri.db.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The validated configuration of one piri-db process. */
public record PiriConfig(
    Path dataDir,
    BackendType backend,
    Postgres postgres,
    String bridgeHost,
    int bridgePort,
    int maxBodyBytes,
    Duration shutdownTimeout) {

  /** PostgreSQL settings; {@code url} is null unless the backend is postgres. */
  public record Postgres(String url, int maxOpenConns, int maxIdleConns, Duration connMaxLifetime, Duration connectTimeout) {
    /** The URL with its password replaced, for logs and errors. */
    public String maskedUrl() {
      return PostgresUrl.mask(url);
    }
  }

  static PiriConfig from(Map<String, Object> v) {
    BackendType backend = (BackendType) v.get(ConfigKeys.DB_TYPE);
    String dataDir = (String) v.get(ConfigKeys.DATA_DIR);
    if (dataDir.isBlank()) throw new ConfigException(ConfigKeys.DATA_DIR, "must not be empty");
    String url = (String) v.get(ConfigKeys.PG_URL);
    if (backend == BackendType.POSTGRES) {
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
    if (port > 65535) throw new ConfigException(ConfigKeys.BRIDGE_PORT, "must be a TCP port (0..65535), got " + port);
    int maxBody = (Integer) v.get(ConfigKeys.MAX_BODY_BYTES);
    if (maxBody < 1024) throw new ConfigException(ConfigKeys.MAX_BODY_BYTES, "must be at least 1024, got " + maxBody);
    return new PiriConfig(
        Path.of(dataDir),
        backend,
        new Postgres(backend == BackendType.POSTGRES ? url : null, maxOpen, maxIdle,
            (Duration) v.get(ConfigKeys.PG_MAX_LIFETIME), connectTimeout),
        (String) v.get(ConfigKeys.BRIDGE_HOST),
        port,
        maxBody,
        (Duration) v.get(ConfigKeys.SHUTDOWN_TIMEOUT));
  }

  /** A copy with another data directory and backend; tests and tools use it. */
  public PiriConfig with(Path dataDir, BackendType backend, String postgresUrl) {
    return new PiriConfig(dataDir, backend,
        new Postgres(postgresUrl, postgres.maxOpenConns(), postgres.maxIdleConns(), postgres.connMaxLifetime(), postgres.connectTimeout()),
        bridgeHost, bridgePort, maxBodyBytes, shutdownTimeout);
  }

  public PiriConfig withBridgePort(int port) {
    return new PiriConfig(dataDir, backend, postgres, bridgeHost, port, maxBodyBytes, shutdownTimeout);
  }
}
