package io.piri.db.backend;

import io.piri.db.ExitException;
import io.piri.db.StoreId;
import io.piri.db.backend.postgres.PostgresDatabase;
import io.piri.db.backend.sqlite.SqliteDatabase;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;

/** Opens a store's database on the configured backend and checks the backend it recorded. */
public final class Databases {
  private Databases() {}

  public static Future<Database> open(Vertx vertx, PiriConfig config, StoreId store) {
    Future<Database> opened = config.backend() == BackendType.SQLITE
        ? SqliteDatabase.open(vertx, store, config.dataDir())
        : PostgresDatabase.open(vertx, store, config.postgres());
    return opened.compose(db -> recordBackend(db).onFailure(e -> db.close()).map(db));
  }

  /** The first start writes the backend into the store; later starts must find the same one. */
  private static Future<Void> recordBackend(Database db) {
    Statements sql = db.sql("meta");
    String configured = db.backend().id();
    return db.write(conn -> conn.preparedQuery(sql.get("insert-backend")).execute(Tuple.of(configured))
            .compose(r -> conn.preparedQuery(sql.get("select-backend")).execute()))
        .compose(rows -> {
          String stored = rows.iterator().next().getString(0);
          if (stored.equals(configured)) return Future.succeededFuture();
          return Future.failedFuture(new ExitException(ExitException.BACKEND_MISMATCH,
              "store " + db.store().id() + " was created with backend " + stored + " but repo.database.type is "
                  + configured + "; set repo.database.type back to " + stored));
        });
  }
}
