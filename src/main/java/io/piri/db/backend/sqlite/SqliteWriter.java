package io.piri.db.backend.sqlite;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.piri.db.backend.Listeners;
import io.piri.db.backend.Migrations;
import io.piri.db.backend.Tx;
import io.piri.db.core.DbException;
import io.piri.db.core.StoreId;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The single writer of one SQLite file: a worker verticle that owns the file's only writing
 * connection and runs every write of the store, in arrival order, as plain blocking JDBC on its
 * own worker thread. Requests that queue up while a transaction runs are committed together in
 * the next one (group commit): one hand-off to the writer and one back per batch, none per
 * statement.
 */
final class SqliteWriter extends VerticleBase {
  static final int MAX_BATCH = 512;

  /** A request: {@code work} runs on the writer; {@code promise} is completed on {@code caller}. */
  record Job<T>(Function<Tx, Future<T>> work, Context caller, Promise<T> promise) {}

  private final StoreId store;
  private final Path file;
  private final Listeners listeners;
  private final Queue<Job<?>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong statementsRun;
  private volatile boolean closed;
  private volatile WriterMeters meters = WriterMeters.NONE;
  private volatile Checkpoints checkpoints;
  private String schemaVersion;
  private AgroalDataSource dataSource;
  /** The borrowed connection and its statements; only touched on the writer's thread. */
  private StatementCache held;
  private boolean stopped;

  SqliteWriter(StoreId store, Path file, Listeners listeners, AtomicLong statementsRun) {
    this.store = store;
    this.file = file;
    this.listeners = listeners;
    this.statementsRun = statementsRun;
  }

  Path file() {
    return file;
  }

  /** Batch sizes and commit times for /metrics; set once the server has a registry. */
  void meters(WriterMeters meters) {
    this.meters = meters;
  }

  /** Where commits are counted for the WAL checkpoints beside the writer; set once the read pool is open. */
  void checkpoints(Checkpoints checkpoints) {
    this.checkpoints = checkpoints;
  }

  long commits() {
    return commits.get();
  }

  String schemaVersion() {
    return schemaVersion;
  }

  @Override
  public Future<?> start() throws Exception {
    Files.createDirectories(file.getParent());
    Properties pragmas = pragmas();
    schemaVersion = Migrations.migrate("sqlite", store, jdbcUrl(file), pragmas, null);
    dataSource = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
        .connectionPoolConfiguration(pool -> pool
            .maxSize(1).minSize(0).initialSize(0)
            .acquisitionTimeout(Duration.ofSeconds(10))
            .validateOnBorrow(true)
            .connectionValidator(SqliteReaders.countedValidator(statementsRun))
            .connectionFactoryConfiguration(cf -> {
              cf.jdbcUrl(jdbcUrl(file)).connectionProviderClassName("org.sqlite.JDBC").autoCommit(true);
              pragmas.forEach((k, v) -> cf.jdbcProperty((String) k, (String) v));
              return cf;
            })));
    try {
      connection();
    } catch (DbException e) {
      dataSource.close();
      throw e;
    }
    return Future.succeededFuture();
  }

  /** Runs what is queued, then gives the connection back; later requests fail as closed. */
  @Override
  public Future<?> stop() {
    closed = true;
    for (List<Job<?>> batch = take(); !batch.isEmpty(); batch = take()) run(batch);
    stopped = true;
    dropConnection();
    dataSource.close();
    return Future.succeededFuture();
  }

  /** Queues {@code job}; from any thread. */
  void submit(Job<?> job) {
    if (closed) {
      refuse(job);
      return;
    }
    queue.add(job);
    // stop() may have taken the queue's last batch between the check above and the add
    if (closed && queue.remove(job)) {
      refuse(job);
      return;
    }
    if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
  }

  /** One batch per turn on the writer's context, so stop and other tasks of the context get theirs. */
  private void drain() {
    if (stopped) {
      for (Job<?> job = queue.poll(); job != null; job = queue.poll()) refuse(job);
      return;
    }
    List<Job<?>> batch = take();
    if (!batch.isEmpty()) run(batch);
    if (!queue.isEmpty()) {
      context.runOnContext(v -> drain());
      return;
    }
    scheduled.set(false);
    if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
  }

  private List<Job<?>> take() {
    List<Job<?>> batch = new ArrayList<>();
    Job<?> job;
    while (batch.size() < MAX_BATCH && (job = queue.poll()) != null) batch.add(job);
    return batch;
  }

  /** Runs one batch in one transaction; replies first, then the committed requests' notifications. */
  private void run(List<Job<?>> batch) {
    meters.batch(batch.size());
    List<AsyncResult<?>> outcomes;
    Set<JdbcTx.Notification> notifications = new LinkedHashSet<>();
    try {
      outcomes = transaction(connection(), batch, batch.size() > 1, notifications);
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      Future<?> failed = Future.failedFuture(SqliteErrors.translate(e));
      outcomes = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) outcomes.add(failed);
      notifications.clear();
    }
    for (int i = 0; i < batch.size(); i++) complete(batch.get(i), outcomes.get(i));
    for (JdbcTx.Notification n : notifications) listeners.fire(n.channel(), n.payload());
  }

  /**
   * One transaction (BEGIN IMMEDIATE: the connection's transaction mode) for the batch.
   * Optimistically the requests run one after the other without savepoints, since they rarely
   * fail; if one does, the transaction is rolled back and run again with each request inside its
   * own savepoint, so that the failing request alone is rolled back and the others commit.
   */
  private List<AsyncResult<?>> transaction(StatementCache c, List<Job<?>> batch, boolean optimistic,
                                           Set<JdbcTx.Notification> notifications) throws SQLException {
    Connection conn = c.connection();
    conn.setAutoCommit(false);
    boolean isolate = !optimistic && batch.size() > 1;
    List<AsyncResult<?>> outcomes = new ArrayList<>(batch.size());
    for (Job<?> job : batch) {
      Savepoint savepoint = isolate ? conn.setSavepoint("request") : null;
      JdbcTx tx = new JdbcTx(c, statementsRun);
      AsyncResult<?> outcome = invoke(job, tx);
      if (savepoint != null) {
        if (outcome.failed()) rollback(conn, savepoint, outcome.cause());
        conn.releaseSavepoint(savepoint);
      }
      if (optimistic && outcome.failed()) {
        rollback(conn);
        notifications.clear();
        return transaction(c, batch, false, notifications);
      }
      if (outcome.succeeded()) notifications.addAll(tx.notifications());
      outcomes.add(outcome);
    }
    if (outcomes.stream().anyMatch(AsyncResult::succeeded)) {
      long started = System.nanoTime();
      conn.commit();
      commits.incrementAndGet();
      meters.committed(System.nanoTime() - started);
      Checkpoints wal = checkpoints;
      if (wal != null) wal.committed();
      conn.setAutoCommit(true);
    } else {
      rollback(conn);
      notifications.clear();
    }
    return outcomes;
  }

  /**
   * Rolls back and leaves the connection in autocommit. After some failures (a full disk, an I/O
   * error) SQLite has rolled the transaction back itself and ROLLBACK fails: nothing is left to undo.
   */
  private static void rollback(Connection conn) {
    try {
      conn.rollback();
    } catch (SQLException alreadyRolledBack) {
      // see above
    }
    try {
      conn.setAutoCommit(true);
    } catch (SQLException noTransactionLeft) {
      // the driver is in autocommit all the same
    }
  }

  /**
   * Undoes one request of an isolated run. When SQLite has rolled the whole transaction back
   * already, the batch is lost: it fails with the request's own failure.
   */
  private static void rollback(Connection conn, Savepoint savepoint, Throwable cause) throws SQLException {
    try {
      conn.rollback(savepoint);
    } catch (SQLException e) {
      if (cause instanceof RuntimeException r) throw r;
      throw e;
    }
  }

  /** Runs one request's work to its end, here and now: the future it returns must be complete. */
  private static AsyncResult<?> invoke(Job<?> job, JdbcTx tx) {
    Future<?> result;
    try {
      result = job.work().apply(tx);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    } finally {
      tx.end();
    }
    if (!result.isComplete()) {
      return Future.failedFuture(new IllegalStateException("work on the SQLite writer returned a future that is not"
          + " complete; it must run only the statements of its Tx, whose futures are complete at once"));
    }
    return result;
  }

  /**
   * The writer keeps its one connection between batches. After a failed batch it gives it back
   * and borrows again, which is when Agroal validates it and replaces it if it is broken.
   */
  private StatementCache connection() {
    if (held == null) {
      try {
        held = new StatementCache(dataSource.getConnection());
      } catch (SQLException e) {
        DbException failure = SqliteErrors.of(e);
        throw failure.kind() == DbException.Kind.OTHER
            ? new DbException(DbException.Kind.UNAVAILABLE, failure.getMessage(), e) : failure;
      }
    }
    return held;
  }

  /** Ends whatever transaction a failure left open, and gives the connection back. */
  private void dropConnection() {
    StatementCache c = held;
    held = null;
    if (c == null) return;
    c.close();
    Connection conn = c.connection();
    rollback(conn);
    try {
      conn.close();
    } catch (SQLException broken) {
      // Agroal finds out when the connection is borrowed again, and replaces it
    }
  }

  private void refuse(Job<?> job) {
    complete(job, Future.failedFuture(new DbException(DbException.Kind.UNAVAILABLE, "the database is closed", null)));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void complete(Job<?> job, AsyncResult<?> outcome) {
    job.caller().runOnContext(v -> ((Promise) job.promise()).handle(outcome));
  }

  static String jdbcUrl(Path file) {
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
    p.setProperty("wal_autocheckpoint", Checkpoints.WRITER_PAGES);
    return p;
  }
}
