package io.piri.db.support;

import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/** The backend a shared test suite runs against; each suite is extended once per backend. */
public interface TestBackend {
  BackendType type();

  /** A configuration of a fresh node: its own data_dir, database and bridge port. */
  PiriConfig freshConfig(Path dataDir);

  /** A JDBC connection to {@code store} of the node {@code cfg}, on which its tables go by their bare names. */
  Connection connect(PiriConfig cfg, StoreId store) throws SQLException;

  /** The same node again (same data_dir and database), e.g. for a restart. */
  default PiriConfig sameNode(PiriConfig previous) {
    return previous.withBridgePort(freePort()).withHttpPort(freePort());
  }

  static TestBackend sqlite() {
    return new TestBackend() {
      @Override
      public BackendType type() {
        return BackendType.SQLITE;
      }

      @Override
      public PiriConfig freshConfig(Path dataDir) {
        return base().with(dataDir, BackendType.SQLITE, null).withBridgePort(freePort()).withHttpPort(freePort());
      }

      @Override
      public Connection connect(PiriConfig cfg, StoreId store) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + cfg.dataDir().resolve(store.sqliteFile()));
      }
    };
  }

  static TestBackend postgres() {
    return new TestBackend() {
      @Override
      public BackendType type() {
        return BackendType.POSTGRES;
      }

      @Override
      public PiriConfig freshConfig(Path dataDir) {
        return base().with(dataDir, BackendType.POSTGRES, TestPostgres.newDatabase()).withBridgePort(freePort()).withHttpPort(freePort());
      }

      @Override
      public Connection connect(PiriConfig cfg, StoreId store) throws SQLException {
        Connection c = TestPostgres.connect(cfg.postgres().url());
        c.setSchema(store.id());
        return c;
      }
    };
  }

  static PiriConfig base() {
    return ConfigLoader.fromJson(new JsonObject(), Map.of());
  }

  static int freePort() {
    return FreePorts.next();
  }
}
