package io.piri.db.backend.sqlite;

import io.piri.db.backend.Database;
import io.piri.db.backend.Tx;
import io.piri.db.core.DbException;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A store's SQLite file opened read-only, for reads while its node is stopped or beside the
 * running node: no writer, no migration, and every write refused as read-only. SQLite opens the
 * file with {@code mode=ro}, so nothing this process does can change it. A file with no WAL beside
 * it (its node stopped cleanly, so everything committed is in the file) is also opened
 * {@code immutable}: without locks, SQLite creates no {@code -wal} or {@code -shm} file. A file
 * with a WAL (its node runs, or was killed) is read through it, as any reader beside the writer.
 */
public final class ReadOnlySqlite extends SqliteStore {
  private String schemaVersion = "";

  private ReadOnlySqlite(StoreId store, SqliteReaders readers) {
    super(store, readers);
  }

  /** Opens {@code dataDir}'s file of {@code store}, which must exist, and reads its schema version. */
  public static Future<Database> open(Vertx vertx, StoreId store, Path dataDir) {
    Path file = dataDir.resolve(store.sqliteFile()).toAbsolutePath();
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new DbException(DbException.Kind.UNAVAILABLE, "no file " + file, null));
    }
    boolean stopped = !Files.exists(Path.of(file + "-wal"));
    String url = "jdbc:sqlite:file:" + file + "?mode=ro" + (stopped ? "&immutable=1" : "");
    ReadOnlySqlite db;
    try {
      db = new ReadOnlySqlite(store, SqliteReaders.open(vertx, url, 1, new AtomicLong()));
    } catch (SQLException e) {
      return Future.failedFuture(SqliteErrors.of(e));
    }
    return db.read(tx -> tx.run(db.sql("offline").get("schema-version")))
        .map(rows -> {
          db.schemaVersion = rows.size() == 0 ? "0" : rows.first().string("version");
          return (Database) db;
        })
        .recover(e -> db.close().transform(v -> Future.failedFuture(e)));
  }

  @Override
  public String schemaVersion() {
    return schemaVersion;
  }

  @Override
  public <T> Future<T> write(Function<Tx, Future<T>> work) {
    return Future.failedFuture(new DbException(DbException.Kind.READ_ONLY,
        "store '" + store.id() + "' is opened read-only (offline): changes need the running node", null));
  }

  @Override
  public <T> Future<T> read(Function<Tx, Future<T>> work) {
    return readers.read(work);
  }

  @Override
  public <T> Future<T> readWithTimeout(long timeoutMs, Function<Tx, Future<T>> work) {
    return readers.readWithTimeout(timeoutMs, work);
  }

  /** Nothing is written here, so nothing is ever notified. */
  @Override
  public void listen(String channel, Handler<String> handler) {}

  @Override
  public long transactions() {
    return 0;
  }

  @Override
  public Future<Void> close() {
    return readers.close();
  }
}
