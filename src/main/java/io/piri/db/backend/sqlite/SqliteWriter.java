package io.piri.db.backend.sqlite;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.piri.db.core.StoreId;
import io.piri.db.backend.Migrations;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Properties;
import java.util.function.Function;

/**
 * The single writer of one SQLite file: a worker verticle that owns the file's only connection.
 * Every request of the store runs here, in arrival order. Requests that queue up while a
 * transaction runs are committed together in the next one (group commit), each inside its own
 * savepoint so that one failing request is rolled back alone.
 */
final class SqliteWriter extends VerticleBase {
  static final int MAX_BATCH = 512;

  private final StoreId store;
  private final Path file;
  private final ArrayDeque<Job<?>> pending = new ArrayDeque<>();
  private final Set<Runnable> afterCommit = new LinkedHashSet<>();
  private AgroalDataSource dataSource;
  private Pool pool;
  private String schemaVersion;
  private final java.util.concurrent.atomic.AtomicLong commits = new java.util.concurrent.atomic.AtomicLong();
  private Future<SqlConnection> conn;
  private boolean busy;
  private boolean closed;

  /**
   * A request for the writer. {@code alone}: run outside any transaction and batch, for
   * statements SQLite refuses inside one (VACUUM INTO for backups).
   */
  record Job<T>(Function<SqlConnection, Future<T>> work, Promise<T> promise, boolean alone) {
    Job(Function<SqlConnection, Future<T>> work, Promise<T> promise) {
      this(work, promise, false);
    }
  }

  /** Batch sizes and commit times for /metrics; set once the server has a registry. */
  private volatile WriterMeters meters = WriterMeters.NONE;

  Path file() {
    return file;
  }

  void meters(WriterMeters meters) {
    this.meters = meters;
  }

  SqliteWriter(StoreId store, Path file) {
    this.store = store;
    this.file = file;
  }

  @Override
  public Future<?> start() throws Exception {
    Files.createDirectories(file.getParent());
    Properties pragmas = pragmas();
    schemaVersion = Migrations.migrate("sqlite", store, jdbcUrl(), pragmas, null);
    dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
        .connectionPoolConfiguration(pool -> pool
            .maxSize(1).minSize(0).initialSize(0)
            .acquisitionTimeout(Duration.ofSeconds(10))
            .validateOnBorrow(true)
            .connectionValidator(ConnectionValidator.defaultValidator())
            .validationTimeout(Duration.ofMinutes(1))
            .connectionFactoryConfiguration(cf -> {
              cf.jdbcUrl(jdbcUrl()).connectionProviderClassName("org.sqlite.JDBC").autoCommit(true);
              pragmas.forEach((k, v) -> cf.jdbcProperty((String) k, (String) v));
              return cf;
            })));
    pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(1));
    return pool.withConnection(c -> c.query("SELECT 1").execute());
  }

  @Override
  public Future<?> stop() {
    closed = true;
    Future<Void> drained = busy ? idle() : Future.succeededFuture();
    return drained.andThen(r -> dropConnection()).compose(v -> pool.close()).andThen(r -> dataSource.close());
  }

  long commits() {
    return commits.get();
  }

  Context context() {
    return context;
  }

  String schemaVersion() {
    return schemaVersion;
  }

  /** Runs {@code action} once the running batch commits; equal actions run once. On this context. */
  void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  /** Queues {@code job}; called on this verticle's context. */
  void submit(Job<?> job) {
    if (closed) {
      job.promise().fail(new IllegalStateException("the SQLite writer of " + store.id() + " is closed"));
      return;
    }
    pending.add(job);
    if (!busy) runBatch();
  }

  private Promise<Void> idlePromise;

  private Future<Void> idle() {
    idlePromise = Promise.promise();
    return idlePromise.future();
  }

  private void runBatch() {
    busy = true;
    List<Job<?>> batch = new ArrayList<>(Math.min(pending.size(), MAX_BATCH));
    if (pending.peek().alone()) {
      runAlone(pending.poll());
      return;
    }
    while (!pending.isEmpty() && batch.size() < MAX_BATCH && !pending.peek().alone()) batch.add(pending.poll());
    meters.batch(batch.size());
    connection()
        .compose(conn -> transaction(conn, batch, batch.size() > 1).onFailure(e -> dropConnection()))
        .onComplete(done -> {
          // Replies first, notifications second: a listener that reacts to a notification then
          // always sees the replies of the same batch delivered before it.
          for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), done.succeeded() ? done.result().get(i) : done);
          }
          if (done.succeeded()) afterCommit.forEach(Runnable::run);
          afterCommit.clear();
          busy = false;
          if (!pending.isEmpty()) {
            runBatch();
          } else if (idlePromise != null) {
            idlePromise.tryComplete();
          }
        });
  }

  /**
   * One transaction for the batch. Optimistically the requests run one after the other with no
   * savepoints, since they rarely fail; if one does, the transaction is rolled back and run again
   * with each request in its own savepoint, so that it alone is rolled back.
   */
  private Future<List<AsyncResult<?>>> transaction(SqlConnection conn, List<Job<?>> batch, boolean optimistic) {
    List<AsyncResult<?>> outcomes = new ArrayList<>(batch.size());
    return conn.begin().compose(tx -> runAll(conn, batch, outcomes, optimistic).compose(clean -> {
      if (!clean) {
        afterCommit.clear();
        return tx.rollback().compose(v -> transaction(conn, batch, false));
      }
      return finish(tx, outcomes).map(outcomes);
    }));
  }

  /**
   * The writer keeps its one connection between batches. After a failed batch it gives it back
   * and borrows again, which is when Agroal validates it and replaces it if it is broken.
   */
  private Future<SqlConnection> connection() {
    if (conn == null) conn = pool.getConnection();
    return conn;
  }

  private void dropConnection() {
    Future<SqlConnection> held = conn;
    conn = null;
    if (held != null) held.onSuccess(SqlConnection::close);
  }

  /** Commits, unless no request succeeded: then rolling back is the same and cheaper. */
  private Future<Void> finish(Transaction tx, List<AsyncResult<?>> outcomes) {
    boolean anySucceeded = outcomes.stream().anyMatch(AsyncResult::succeeded);
    if (!anySucceeded) return tx.rollback();
    long started = System.nanoTime();
    return tx.commit().onSuccess(v -> {
      commits.incrementAndGet();
      meters.committed(System.nanoTime() - started);
    });
  }

  /** Runs the batch; false when an optimistic run met a failure and must be repeated isolated. */
  private Future<Boolean> runAll(SqlConnection conn, List<Job<?>> batch, List<AsyncResult<?>> outcomes, boolean optimistic) {
    Future<Boolean> chain = Future.succeededFuture(true);
    boolean isolate = !optimistic && batch.size() > 1;
    for (Job<?> job : batch) {
      chain = chain.compose(clean -> {
        if (!clean) return Future.succeededFuture(false);
        Future<AsyncResult<?>> one = isolate ? runIsolated(conn, job) : invoke(conn, job).transform(Future::succeededFuture);
        return one.map(ar -> {
          outcomes.add(ar);
          return !(optimistic && ar.failed());
        });
      });
    }
    return chain;
  }

  private Future<AsyncResult<?>> runIsolated(SqlConnection conn, Job<?> job) {
    return conn.query("SAVEPOINT request").execute()
        .compose(s -> invoke(conn, job).transform(ar -> {
          String end = ar.succeeded() ? "RELEASE request" : "ROLLBACK TO request";
          Future<?> f = conn.query(end).execute();
          if (!ar.succeeded()) f = f.compose(x -> conn.query("RELEASE request").execute());
          return f.map(x -> ar);
        }));
  }

  /** Runs one job with the connection in autocommit: no transaction, no other request beside it. */
  private void runAlone(Job<?> job) {
    connection().compose(conn -> invoke(conn, job)).onComplete(ar -> {
      complete(job, ar);
      busy = false;
      if (!pending.isEmpty()) {
        runBatch();
      } else if (idlePromise != null) {
        idlePromise.tryComplete();
      }
    });
  }

  private static Future<?> invoke(SqlConnection conn, Job<?> job) {
    try {
      return job.work().apply(conn);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void complete(Job<?> job, AsyncResult<?> outcome) {
    ((Promise) job.promise()).handle(outcome);
  }

  private String jdbcUrl() {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }

  /** Set on every connection (never in a migration), so a renewed connection gets them too. */
  private static Properties pragmas() {
    Properties p = new Properties();
    p.setProperty("journal_mode", "WAL");
    p.setProperty("synchronous", "NORMAL");
    p.setProperty("foreign_keys", "true");
    p.setProperty("busy_timeout", "5000");
    p.setProperty("transaction_mode", "IMMEDIATE");
    return p;
  }
}
