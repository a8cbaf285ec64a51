package io.piri.db.server;

import io.piri.db.backend.Database;
import io.piri.db.backend.sqlite.ReadOnlySqlite;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.ChangeEvents;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.datadir.BackendMarker;
import io.piri.db.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four stores of a SQLite data_dir served read-only on a Vert.x of this process, whether or
 * not their node runs: the stores' own actions answer on the local event bus, over the files
 * opened read-only ({@link ReadOnlySqlite}), so a read gives what the node would answer and
 * nothing is written. A PostgreSQL node, or a directory that is not a piri-db SQLite data_dir, is
 * refused with exit 2 before anything is opened.
 */
public final class OfflineNode {
  private final Vertx vertx;
  private final List<Database> databases;

  private OfflineNode(Vertx vertx, List<Database> databases) {
    this.vertx = vertx;
    this.databases = databases;
  }

  /** Opens the stores of {@code config}'s data_dir (its queues as {@code config} defines them). */
  public static Future<OfflineNode> open(Vertx vertx, PiriConfig config) {
    Path dir = config.dataDir();
    try {
      check(dir);
    } catch (ExitException e) {
      return Future.failedFuture(e);
    }
    List<Database> opened = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (StoreId store : StoreId.values()) {
      chain = chain.compose(v -> ReadOnlySqlite.open(vertx, store, dir))
          .compose(db -> {
            opened.add(db);
            return backendOf(db);
          })
          .compose(v -> vertx.deployVerticle(Stores.readOnlyVerticle(store, config, opened.get(opened.size() - 1),
              Clock.system(vertx), new ChangeEvents(vertx.eventBus()))))
          .recover(e -> Future.failedFuture(e instanceof ExitException ? e : notAStore(dir, store, e)))
          .mapEmpty();
    }
    OfflineNode node = new OfflineNode(vertx, opened);
    return chain.map(node).recover(e -> node.close().transform(v -> Future.failedFuture(e)));
  }

  /** Sends {@code action} to {@code store} on this process's bus, as the bridge would. */
  public Future<JsonObject> request(StoreId store, String action, JsonObject body, long timeoutMs) {
    DeliveryOptions opts = new DeliveryOptions().addHeader(ActionRouter.ACTION_HEADER, action).setSendTimeout(timeoutMs);
    return vertx.eventBus().<JsonObject>request(store.address(), body, opts).map(m -> m.body());
  }

  /** Stops the stores and closes their files. */
  public Future<Void> close() {
    Future<Void> undeployed = Future.join(new ArrayList<>(vertx.deploymentIDs()).stream().map(vertx::undeploy).toList()).mapEmpty();
    return undeployed.otherwiseEmpty().compose(v -> Future.join(databases.stream().map(Database::close).toList())).mapEmpty();
  }

  private static void check(Path dir) {
    if (!Files.isDirectory(dir)) throw refuse(dir + " is not a directory");
    BackendType recorded = BackendMarker.stored(dir);
    if (recorded == BackendType.POSTGRES) {
      throw refuse("data_dir " + dir + " belongs to a PostgreSQL node: its stores are in PostgreSQL, not in files; "
          + "offline reads are for SQLite data_dirs (ask the running node through --bridge)");
    }
    List<String> missing = new ArrayList<>();
    for (StoreId s : StoreId.values()) if (!Files.isRegularFile(dir.resolve(s.sqliteFile()))) missing.add(s.sqliteFile());
    if (recorded == null && missing.size() == StoreId.values().length) {
      throw refuse(dir + " is not a piri-db SQLite data_dir: it holds no 'backend' file and none of the store files");
    }
    if (!missing.isEmpty()) throw refuse(dir + " is not a complete piri-db SQLite data_dir: missing " + String.join(", ", missing));
  }

  /** The store recorded itself as a SQLite store at its first start ({@code piri_meta}). */
  private static Future<Void> backendOf(Database db) {
    return db.read(tx -> tx.run(db.sql("meta").get("select-backend"))).compose(rows -> {
      String stored = rows.size() == 0 ? null : rows.first().string("value");
      if (BackendType.SQLITE.id().equals(stored)) return Future.succeededFuture();
      return Future.failedFuture(new IllegalStateException("its recorded backend is " + stored));
    });
  }

  private static ExitException notAStore(Path dir, StoreId store, Throwable e) {
    return refuse(dir.resolve(store.sqliteFile()) + " is not a piri-db store this version reads: "
        + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
  }

  private static ExitException refuse(String message) {
    return new ExitException(ExitException.BAD_CONFIG, "--data-dir: " + message);
  }
}
