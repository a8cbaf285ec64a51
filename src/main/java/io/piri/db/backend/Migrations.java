package io.piri.db.backend;

import io.piri.db.core.StoreId;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Flyway migrations of one store, from its folders under {@code db/<dialect>/}
 * ({@link StoreId#migrationFolders}). Blocking: callers run it on a worker thread (the SQLite
 * writer verticle, or executeBlocking for PostgreSQL).
 */
public final class Migrations {
  private Migrations() {}

  /** Migrates and returns the schema version reached. */
  public static String migrate(String dialect, StoreId store, String jdbcUrl, Properties props, String schema) {
    return migrate(dialect, store.migrationFolders(), jdbcUrl, props, schema);
  }

  /**
   * Migrates from {@code folders}. Each folder is its own line of versions (a store's V1 on, the
   * queue engine's V100 on, the common V200 on), so a migration added later to a folder whose
   * versions lie below another folder's applied ones must still run: out of order.
   */
  static String migrate(String dialect, java.util.List<String> folders, String jdbcUrl, Properties props, String schema) {
    var cfg = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(jdbcUrl, props.getProperty("user"), props.getProperty("password"))
        .locations(folders.stream().map(f -> "classpath:db/" + dialect + "/" + f).toArray(String[]::new))
        .outOfOrder(true)
        .connectRetries(0);
    if (schema != null) {
      cfg.schemas(schema).defaultSchema(schema).createSchemas(true);
    }
    Properties jdbc = new Properties();
    props.forEach((k, v) -> {
      if (!"user".equals(k) && !"password".equals(k)) jdbc.put(k, v);
    });
    cfg.jdbcProperties(toMap(jdbc));
    Flyway flyway = cfg.load();
    flyway.migrate();
    MigrationVersion v = flyway.info().current() == null ? null : flyway.info().current().getVersion();
    return v == null ? "0" : v.getVersion();
  }

  private static java.util.Map<String, String> toMap(Properties p) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    p.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
    return m;
  }
}
