package io.piri.db.backend.sqlite;

import io.piri.db.backend.Database;
import io.piri.db.backend.Listeners;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.config.BackendType;
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
import java.util.Properties;
import java.util.function.Function;

/** A store kept in one SQLite file, written only through that file's {@link SqliteWriter}. */
public final class SqliteDatabase implements Database {
  private final Vertx vertx;
  private final StoreId store;
  private final SqliteWriter writer;
  private final String deploymentId;
  private final Listeners listeners;

  private SqliteDatabase(Vertx vertx, StoreId store, SqliteWriter writer, String deploymentId, Listeners listeners) {
    this.vertx = vertx;
    this.store = store;
    this.writer = writer;
    this.deploymentId = deploymentId;
    this.listeners = listeners;
  }

  public static Future<Database> open(Vertx vertx, StoreId store, Path dataDir) {
    Listeners listeners = new Listeners();
    SqliteWriter writer = new SqliteWriter(store, dataDir.resolve(store.sqliteFile()), listeners);
    return vertx.deployVerticle(writer, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .map(id -> (Database) new SqliteDatabase(vertx, store, writer, id, listeners));
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
  public <T> Future<T> write(Function<Tx, Future<T>> work) {
    Promise<T> promise = Promise.promise();
    writer.submit(new SqliteWriter.Job<>(work, vertx.getOrCreateContext(), promise));
    return promise.future();
  }

  @Override
  public <T> Future<T> read(Function<Tx, Future<T>> work) {
    return write(work);
  }

  @Override
  public void listen(String channel, Handler<String> handler) {
    listeners.add(vertx, channel, handler);
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
   * VACUUM INTO through a short-lived connection of its own, on a worker thread: a WAL reader, it
   * copies exactly what was committed before it began and nothing half-written, while the writer
   * goes on.
   */
  @Override
  public Future<Long> backupTo(Path file) {
    String statement = sql("meta").get("backup");
    String url = SqliteWriter.jdbcUrl(writer.file());
    return vertx.executeBlocking(() -> {
      try (Connection c = new org.sqlite.JDBC().connect(url, new Properties());
           PreparedStatement ps = c.prepareStatement(statement)) {
        ps.setString(1, file.toString());
        ps.execute();
        return Files.size(file);
      }
    }, false).recover(e -> Future.failedFuture(SqliteErrors.translate(e)));
  }
}
