package io.piri.db.backend;

import io.piri.db.core.StoreId;
import java.util.Comparator;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

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
    MigrateResult result = cfg.load().migrate();
    // The highest version applied: the one found, or the highest of those just applied (out of
    // order, the last applied may lie below the one found). Asking Flyway's info instead would
    // read the history table again on every start.
    return Stream.of(result.initialSchemaVersion, result.targetSchemaVersion)
        .filter(Objects::nonNull).map(MigrationVersion::fromVersion)
        .max(Comparator.naturalOrder()).map(MigrationVersion::getVersion).orElse("0");
  }

  private static java.util.Map<String, String> toMap(Properties p) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    p.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
    return m;
  }
}
