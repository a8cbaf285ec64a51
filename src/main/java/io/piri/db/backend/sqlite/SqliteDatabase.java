package io.piri.db.backend.sqlite;

import io.piri.db.core.StoreId;
import io.piri.db.backend.Database;
import io.piri.db.backend.Listeners;
import io.piri.db.backend.Statements;
import io.piri.db.bus.BusException;
import io.piri.db.config.BackendType;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.function.Function;

/** A store kept in one SQLite file, reached only through that file's {@link SqliteWriter}. */
public final class SqliteDatabase implements Database {
  private final Vertx vertx;
  private final StoreId store;
  private final SqliteWriter writer;
  private final Context writerContext;
  private final String deploymentId;
  private final Listeners listeners = new Listeners();

  private SqliteDatabase(Vertx vertx, StoreId store, SqliteWriter writer, String deploymentId) {
    this.vertx = vertx;
    this.store = store;
    this.writer = writer;
    this.writerContext = writer.context();
    this.deploymentId = deploymentId;
  }

  public static Future<Database> open(Vertx vertx, StoreId store, Path dataDir) {
    SqliteWriter writer = new SqliteWriter(store, dataDir.resolve(store.sqliteFile()));
    return vertx.deployVerticle(writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .map(id -> (Database) new SqliteDatabase(vertx, store, writer, id));
  }

  @Override
  public StoreId store() {
    return store;
  }

  @Override
  public BackendType backend() {
    return BackendType.SQLITE;
  }

  @Override
  public long transactions() {
    return writer.commits();
  }

  @Override
  public String schemaVersion() {
    return writer.schemaVersion();
  }

  @Override
  public <T> Future<T> write(Function<SqlConnection, Future<T>> work) {
    Context caller = vertx.getOrCreateContext();
    Promise<T> onWriter = Promise.promise();
    Promise<T> result = Promise.promise();
    writerContext.runOnContext(v -> writer.submit(new SqliteWriter.Job<>(work, onWriter)));
    onWriter.future().onComplete(ar -> caller.runOnContext(v -> result.handle(ar)));
    return result.future().recover(e -> Future.failedFuture(classify(e)));
  }

  /** One connection serves reads too: WAL would allow more readers, but one owner keeps it simple. */
  @Override
  public <T> Future<T> read(Function<SqlConnection, Future<T>> work) {
    return write(work);
  }

  /** Called from work running on the writer; the listeners fire after the batch commits. */
  @Override
  public Future<Void> notifyAfterCommit(SqlConnection conn, String channel, String payload) {
    writer.afterCommit(new Notification(channel, payload, listeners));
    return Future.succeededFuture();
  }

  @Override
  public void listen(String channel, Handler<String> handler) {
    listeners.add(vertx, channel, handler);
  }

  /** A record, so that one batch fires each distinct notification once. */
  private record Notification(String channel, String payload, Listeners listeners) implements Runnable {
    @Override
    public void run() {
      listeners.fire(channel, payload);
    }
  }

  /** vertx-jdbc-client turns a Buffer into a java.sql.Blob, which sqlite-jdbc cannot create. */
  @Override
  public Object blob(byte[] bytes) {
    return bytes;
  }

  @Override
  public Statements sql(String area) {
    return Statements.load("sqlite", area);
  }

  @Override
  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }

  @Override
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    writer.meters(WriterMeters.of(registry, store.id()));
  }

  /**
   * VACUUM INTO on the writer, alone (SQLite refuses VACUUM inside a transaction): requests that
   * arrive meanwhile wait for it. The file checks run on the writer's worker thread too.
   */
  @Override
  public Future<Long> backupTo(Path file) {
    Context caller = vertx.getOrCreateContext();
    Promise<Long> onWriter = Promise.promise();
    Promise<Long> result = Promise.promise();
    String statement = sql("meta").get("backup");
    Path source = writer.file();
    writerContext.runOnContext(v -> writer.submit(new SqliteWriter.Job<>(conn -> {
      try {
        if (java.nio.file.Files.exists(file)) {
          return Future.failedFuture(BusException.conflict("backup: " + file + " exists; choose an empty directory"));
        }
        java.nio.file.Files.createDirectories(file.getParent());
      } catch (java.io.IOException e) {
        return Future.failedFuture(BusException.unavailable("backup: cannot create " + file.getParent() + ": " + e.getMessage()));
      }
      // On the writer's own connection SQLite answers "cannot VACUUM from within a transaction"
      // (the JDBC client leaves it out of autocommit after a batch). So the copy reads through a
      // second, short-lived connection, on the writer's worker thread while the writer waits: a
      // WAL reader, it sees exactly what was committed before it and nothing half-written.
      try (java.sql.Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + source.toAbsolutePath(), new java.util.Properties());
           java.sql.PreparedStatement ps = c.prepareStatement(statement)) {
        ps.setString(1, file.toString());
        ps.execute();
        return Future.succeededFuture(java.nio.file.Files.size(file));
      } catch (java.sql.SQLException | java.io.IOException e) {
        return Future.failedFuture(e);
      }
    }, onWriter, true)));
    onWriter.future().onComplete(ar -> caller.runOnContext(v -> result.handle(ar)));
    return result.future().recover(e -> Future.failedFuture(classify(e)));
  }

  /** Turns a failure of the file itself (full, read-only, locked, gone) into a 503 with the reason. */
  private Throwable classify(Throwable e) {
    if (e instanceof BusException) return e;
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException sql && isUnavailable(sql)) {
        return BusException.unavailable("store '" + store.id() + "': " + firstLine(sql.getMessage()));
      }
      if (c instanceof IllegalStateException && String.valueOf(c.getMessage()).contains("is closed")) {
        return BusException.unavailable("store '" + store.id() + "' is closed");
      }
    }
    return e;
  }

  // SQLITE_BUSY 5, SQLITE_READONLY 8, SQLITE_IOERR 10, SQLITE_CORRUPT 11, SQLITE_FULL 13, SQLITE_CANTOPEN 14
  private static boolean isUnavailable(SQLException e) {
    int primary = e.getErrorCode() & 0xff;
    return primary == 5 || primary == 8 || primary == 10 || primary == 11 || primary == 13 || primary == 14;
  }

  private static String firstLine(String s) {
    return s == null ? "database error" : s.lines().findFirst().orElse(s);
  }
}
