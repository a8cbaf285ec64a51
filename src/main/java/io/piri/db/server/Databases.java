package io.piri.db.server;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.backend.postgres.PostgresDatabase;
import io.piri.db.backend.sqlite.SqliteDatabase;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.logging.Logger;

/**
 * Opens a store's database on the configured backend and checks the backend it recorded. The
 * server is the one place that knows both backends, so the backend interface needs neither.
 */
final class Databases {
  private static final Logger LOG = Logger.getLogger(Databases.class.getName());

  private Databases() {}

  /** Opens (and migrates) a store's database; a failure names the store and where it lives. */
  static Future<Database> open(Vertx vertx, PiriConfig config, StoreId store) {
    String where = where(config, store);
    Future<Database> opened = config.backend() == BackendType.SQLITE
        ? SqliteDatabase.open(vertx, store, config.dataDir(), config.sqlite().readConnections())
        : PostgresDatabase.open(vertx, store, config.postgres());
    return opened.compose(db -> recordBackend(db).onFailure(e -> db.close()).map(db))
        .onSuccess(db -> LOG.info(() -> "store " + store.id() + " open: " + where + ", schema version " + db.schemaVersion()))
        .recover(e -> Future.failedFuture(openFailure(store, where, e)));
  }

  /** The first start writes the backend into the store; later starts must find the same one. */
  private static Future<Void> recordBackend(Database db) {
    Statements sql = db.sql("meta");
    String configured = db.backend().id();
    return db.write(tx -> tx.run(sql.get("insert-backend"), configured)
            .compose(r -> tx.run(sql.get("select-backend"))))
        .compose(rows -> {
          String stored = rows.first().string("value");
          if (stored.equals(configured)) return Future.succeededFuture();
          return Future.failedFuture(new ExitException(ExitException.BACKEND_MISMATCH,
              "store " + db.store().id() + " was created with backend " + stored + " but repo.database.type is "
                  + configured + "; set repo.database.type back to " + stored));
        });
  }

  private static String where(PiriConfig config, StoreId id) {
    return config.backend() == BackendType.SQLITE
        ? config.dataDir().resolve(id.sqliteFile()).toString()
        : "schema " + id.id() + " at " + config.postgres().maskedUrl();
  }

  private static Throwable openFailure(StoreId id, String where, Throwable e) {
    if (e instanceof ExitException) return e;
    return new ExitException(ExitException.FAILED,
        "store " + id.id() + " cannot open its database (" + where + "): " + reason(e), e);
  }

  private static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.lines().findFirst().orElse(m).trim();
  }
}
