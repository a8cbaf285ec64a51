package io.piri.db.store;

import io.piri.db.audit.AuditList;
import io.piri.db.backend.Database;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;

/**
 * The operator actions every store answers: {@code health} (its database answers), {@code backup}
 * and {@code audit-list} (its audit rows).
 */
record OpsActions(StoreId id, Database db, FileSystem fs) {
  private static final int MAX_DIR_CHARS = 4096;

  void register(ActionRouter router) {
    router.on("health", this::health).on("backup", this::backup).on("audit-list", new AuditList(db)::handle);
  }

  /** Like ping, but through the database: a store whose database is gone answers 503 with the reason. */
  private Future<JsonObject> health(Request req) {
    req.only(Set.of());
    long started = System.nanoTime();
    return db.check().map(v -> new JsonObject().put("store", id.id()).put("backend", db.backend().id())
        .put("database_ms", (System.nanoTime() - started) / 1_000_000));
  }

  /** {@code {"dir": "/abs/dir"}}: writes {@code dir/<store file>} (the data_dir layout) while serving. */
  private Future<JsonObject> backup(Request req) {
    req.only(Set.of("dir"));
    String dir = req.string("dir");
    if (dir.isEmpty() || dir.length() > MAX_DIR_CHARS || dir.indexOf('\0') >= 0) {
      throw BusException.invalid("field 'dir' must be an absolute directory path of at most " + MAX_DIR_CHARS + " characters");
    }
    Path base;
    try {
      base = Path.of(dir);
    } catch (java.nio.file.InvalidPathException e) {
      throw BusException.invalid("field 'dir' is not a valid path");
    }
    if (!base.isAbsolute()) throw BusException.invalid("field 'dir' must be an absolute path (the server's working directory is not the caller's)");
    if (db.backend() != BackendType.SQLITE) {
      throw BusException.invalid("backup: store '" + id.id() + "' is in PostgreSQL; back it up with pg_dump --schema="
          + id.id() + " (docs/operations.md, Backup and restore)");
    }
    Path file = base.normalize().resolve(id.sqliteFile());
    long started = System.nanoTime();
    return target(file)
        .compose(v -> db.backupTo(file))
        .map(bytes -> new JsonObject().put("store", id.id()).put("file", file.toString())
            .put("bytes", bytes).put("ms", (System.nanoTime() - started) / 1_000_000));
  }

  /** The copy goes into a new file of an existing directory: a file already there is a 409. */
  private Future<Void> target(Path file) {
    String dir = file.getParent().toString();
    return fs.exists(file.toString()).compose(exists -> {
      if (exists) return Future.failedFuture(BusException.conflict("backup: " + file + " exists; choose an empty directory"));
      return fs.mkdirs(dir).recover(e -> Future.failedFuture(
          BusException.unavailable("backup: cannot create " + dir + ": " + e.getMessage())));
    });
  }
}
