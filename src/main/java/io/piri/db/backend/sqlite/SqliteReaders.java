package io.piri.db.backend.sqlite;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration.ConnectionValidator;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Tx;
import io.piri.db.core.DbException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConnection;

/**
 * The read pool of one SQLite file: vertx-jdbc-client's {@code JDBCPool} over an Agroal pool of
 * read-only connections ({@code query_only}). In WAL mode readers and the writer never wait for
 * each other: a read sees every transaction committed before it started, so every write already
 * acknowledged, and nothing of a batch the writer is still running.
 */
record SqliteReaders(Vertx vertx, AgroalDataSource dataSource, Pool pool, AtomicLong statementsRun) {
  private static final int PROGRESS_STEPS = 1000;

  /**
   * Opens no connection yet: the first read does. The writer has created and migrated the file.
   * Connections are checked when borrowed, never in the background: Agroal's background validation
   * runs a statement each interval on every connection handed back to it (the writer's after a
   * failed batch, a reader's that Vert.x's pool closed), and an idle node sends the database nothing.
   */
  static SqliteReaders open(Vertx vertx, Path file, int connections, AtomicLong statementsRun) throws SQLException {
    return open(vertx, SqliteWriter.jdbcUrl(file), connections, statementsRun);
  }

  /** A pool over {@code url}, e.g. a file opened read-only by its URI parameters. */
  static SqliteReaders open(Vertx vertx, String url, int connections, AtomicLong statementsRun) throws SQLException {
    AgroalDataSource ds = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
        .connectionPoolConfiguration(pool -> pool
            // The JDBCPool keeps up to its size borrowed; reads with a timeout take theirs directly.
            .maxSize(connections * 2).minSize(0).initialSize(0)
            .acquisitionTimeout(Duration.ofSeconds(10))
            .validateOnBorrow(true)
            .connectionValidator(countedValidator(statementsRun))
            .connectionFactoryConfiguration(cf -> cf
                .jdbcUrl(url).connectionProviderClassName("org.sqlite.JDBC").autoCommit(true)
                .jdbcProperty("busy_timeout", "5000")
                .initialSql("PRAGMA query_only = 1"))));
    return new SqliteReaders(vertx, ds, JDBCPool.pool(vertx, ds, new PoolOptions().setMaxSize(connections)), statementsRun);
  }

  /** sqlite-jdbc checks a connection by running {@code select 1}: a statement like any other. */
  static ConnectionValidator countedValidator(AtomicLong statementsRun) {
    ConnectionValidator plain = ConnectionValidator.defaultValidator();
    return c -> {
      statementsRun.incrementAndGet();
      return plain.isValid(c);
    };
  }

  <T> Future<T> read(Function<Tx, Future<T>> work) {
    return pool.getConnection()
        .recover(e -> Future.failedFuture(unreachable(e)))
        .compose(conn -> {
          Future<T> result;
          try {
            result = work.apply(new ReadTx(conn, statementsRun));
          } catch (RuntimeException e) {
            result = Future.failedFuture(e);
          }
          return result.andThen(done -> conn.close());
        })
        .recover(e -> Future.failedFuture(SqliteErrors.translate(e)));
  }

  /**
   * Runs {@code work} on a worker thread over a read connection of the pool taken as plain JDBC,
   * whose progress handler interrupts whatever statement runs once the deadline passed (checked
   * every {@value #PROGRESS_STEPS} virtual-machine steps: microseconds). The work's futures are
   * complete when returned, as on the writer.
   */
  <T> Future<T> readWithTimeout(long timeoutMs, Function<Tx, Future<T>> work) {
    return vertx.executeBlocking(() -> {
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      try (Connection c = dataSource.getConnection()) {
        SQLiteConnection raw = c.unwrap(SQLiteConnection.class);
        ProgressHandler.setHandler(raw, PROGRESS_STEPS, new ProgressHandler() {
          @Override
          protected int progress() {
            return System.nanoTime() - deadline > 0 ? 1 : 0;
          }
        });
        StatementCache statements = new StatementCache(c);
        try {
          Future<T> done = work.apply(new JdbcTx(statements, statementsRun));
          if (!done.isComplete()) throw new IllegalStateException("a read with a timeout returned a future not yet complete");
          if (done.failed()) throw timedOut(done.cause(), timeoutMs);
          return done.result();
        } finally {
          statements.close();
          ProgressHandler.clearHandler(raw);
        }
      }
    }, false).recover(e -> Future.failedFuture(SqliteErrors.translate(e)));
  }

  private static RuntimeException timedOut(Throwable e, long timeoutMs) {
    if (e instanceof DbException db && db.kind() == DbException.Kind.TIMEOUT) {
      return new DbException(DbException.Kind.TIMEOUT, "the read ran past its limit of " + timeoutMs + " ms and was stopped", e);
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  Future<Void> close() {
    return pool.close().andThen(done -> dataSource.close());
  }

  /** A read connection that cannot be had at all: the file cannot be read now. */
  private static DbException unreachable(Throwable e) {
    Throwable t = SqliteErrors.translate(e);
    if (t instanceof DbException db && db.kind() != DbException.Kind.OTHER) return db;
    return new DbException(DbException.Kind.UNAVAILABLE, "no read connection (" + e.getMessage() + ")", e);
  }

  /** Statements on a read connection: byte[] parameters stay byte[], since sqlite-jdbc takes them so. */
  private record ReadTx(SqlConnection conn, AtomicLong statementsRun) implements Tx {
    @Override
    public Future<Rows> run(String sql, Object... params) {
      Tx.checkParameters(params);
      statementsRun.incrementAndGet();
      return conn.preparedQuery(sql).execute(Tuple.from(params)).map(ReadTx::rows);
    }

    @Override
    public Future<Void> lock(long key) {
      return Future.failedFuture(new IllegalStateException("lock outside a write transaction"));
    }

    @Override
    public Future<Void> lockShared(long key) {
      return Future.failedFuture(new IllegalStateException("lockShared outside a write transaction"));
    }

    @Override
    public Future<Void> notifyAfterCommit(String channel, String payload) {
      return Future.failedFuture(new IllegalStateException("notifyAfterCommit outside a write transaction"));
    }

    private static Rows rows(RowSet<Row> set) {
      List<String> columns = set.columnsNames() == null ? List.of() : set.columnsNames();
      List<Object[]> values = new ArrayList<>(set.size());
      for (Row r : set) {
        Object[] v = new Object[columns.size()];
        for (int i = 0; i < v.length; i++) v[i] = r.getValue(i) instanceof Buffer b ? b.getBytes() : r.getValue(i);
        values.add(v);
      }
      return Rows.of(columns, values, set.rowCount());
    }
  }
}
