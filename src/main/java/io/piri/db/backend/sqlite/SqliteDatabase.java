package io.piri.db.backend.sqlite;

import io.piri.db.backend.Database;
import io.piri.db.backend.Listeners;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.core.DbException;
import io.piri.db.core.StoreId;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A store kept in one SQLite file: written only through that file's {@link SqliteWriter}, read
 * through its {@link SqliteReaders} beside it.
 */
public final class SqliteDatabase extends SqliteStore {
  private final SqliteWriter writer;
  private final String deploymentId;
  private final Listeners listeners;
  private volatile boolean closed;

  private SqliteDatabase(StoreId store, SqliteWriter writer, String deploymentId, SqliteReaders readers, Listeners listeners) {
    super(store, readers);
    this.writer = writer;
    this.deploymentId = deploymentId;
    this.listeners = listeners;
  }

  /** Deploys the writer (which creates and migrates the file), then opens the read pool beside it. */
  public static Future<Database> open(Vertx vertx, StoreId store, Path dataDir, int readConnections) {
    Listeners listeners = new Listeners();
    Path file = dataDir.resolve(store.sqliteFile());
    AtomicLong statementsRun = new AtomicLong();
    SqliteWriter writer = new SqliteWriter(store, file, listeners, statementsRun);
    return vertx.deployVerticle(writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .compose(id -> {
          try {
            SqliteReaders readers = SqliteReaders.open(vertx, file, readConnections, statementsRun);
            writer.checkpoints(new Checkpoints(readers, Statements.load("sqlite", "meta").get("wal-checkpoint")));
            return Future.succeededFuture((Database) new SqliteDatabase(store, writer, id, readers, listeners));
          } catch (SQLException e) {
            return vertx.undeploy(id).transform(v -> Future.failedFuture(SqliteErrors.of(e)));
          }
        });
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
  public <T> Future<T> write(Function<Tx, Future<T>> work) {
    Promise<T> promise = Promise.promise();
    writer.submit(new SqliteWriter.Job<>(work, vertx().getOrCreateContext(), promise));
    return promise.future();
  }

  @Override
  public <T> Future<T> read(Function<Tx, Future<T>> work) {
    if (closed) return Future.failedFuture(new DbException(DbException.Kind.UNAVAILABLE, "the database is closed", null));
    return readers.read(work);
  }

  @Override
  public <T> Future<T> readWithTimeout(long timeoutMs, Function<Tx, Future<T>> work) {
    if (closed) return Future.failedFuture(new DbException(DbException.Kind.UNAVAILABLE, "the database is closed", null));
    return readers.readWithTimeout(timeoutMs, work);
  }

  @Override
  public void listen(String channel, Handler<String> handler) {
    listeners.add(vertx(), channel, handler);
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return vertx().undeploy(deploymentId).transform(v -> readers.close());
  }

  @Override
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    writer.meters(WriterMeters.of(registry, store.id()));
  }

  /**
   * VACUUM INTO through a short-lived connection of its own, on a worker thread: a WAL reader, it
   * copies exactly what was committed before it began and nothing half-written, while the writer
   * goes on.
   */
  @Override
  public Future<Long> backupTo(Path file) {
    String statement = sql("meta").get("backup");
    String url = SqliteWriter.jdbcUrl(writer.file());
    readers.statementsRun().incrementAndGet();
    return vertx().executeBlocking(() -> {
      try (Connection c = new org.sqlite.JDBC().connect(url, new Properties());
           PreparedStatement ps = c.prepareStatement(statement)) {
        ps.setString(1, file.toString());
        ps.execute();
        return Files.size(file);
      }
    }, false).recover(e -> Future.failedFuture(SqliteErrors.translate(e)));
  }
}
