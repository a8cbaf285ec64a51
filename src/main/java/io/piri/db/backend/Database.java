package io.piri.db.backend;

import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * One store's database, whichever the backend. Engines run their statements through a {@link Tx}
 * in {@link #write} or {@link #read}; the statements come from {@link #sql}. Only the backends
 * know their driver: what they return is {@link Rows}, and what fails because of the database
 * fails with an {@link io.piri.db.core.DbException}.
 */
public interface Database {
  StoreId store();

  BackendType backend();

  /** The Flyway version the store's schema is at. */
  String schemaVersion();

  /**
   * Runs {@code work} in one transaction. The returned future succeeds only once the transaction is
   * committed; if {@code work} fails, nothing it did is kept. On SQLite, {@code work} runs on the
   * writer's thread and must return a completed future (every future of its {@link Tx} is).
   */
  <T> Future<T> write(Function<Tx, Future<T>> work);

  /**
   * Runs {@code work}, which changes nothing, beside the writes: on SQLite on a read connection of
   * its own (it never waits for the writer), on PostgreSQL on a pooled connection. It sees every
   * write acknowledged before it was called.
   */
  <T> Future<T> read(Function<Tx, Future<T>> work);

  /**
   * Like {@link #read}, for reads whose cost depends on what an operator asks (search): the work's
   * statements are stopped once {@code timeoutMs} have passed since it began, and it fails with a
   * {@link io.piri.db.core.DbException} of kind {@code TIMEOUT}. PostgreSQL: a read-only
   * transaction with {@code statement_timeout}; SQLite: a read connection whose progress handler
   * interrupts the statement, on a worker thread, where (as on the writer) {@code work} must return
   * a completed future.
   */
  <T> Future<T> readWithTimeout(long timeoutMs, Function<Tx, Future<T>> work);

  /**
   * Calls {@code handler} on the caller's context with each payload notified on {@code channel}.
   * When notifications may have been lost (a reconnect), it is called with {@code null}: the
   * listener should look at the database again.
   */
  void listen(String channel, Handler<String> handler);

  /**
   * Transactions this process has run on the store's database so far (SQLite: committed group
   * commits; PostgreSQL: write and read calls). For benchmarks and metrics.
   */
  long transactions();

  /**
   * SQL statements this process has sent to the store's database so far: each statement a work
   * runs through its {@link Tx} (locks and notifications included), connection checks, LISTEN and
   * backups; not the BEGIN and COMMIT around a transaction. A cheap counter, for tests and
   * benchmarks that prove what an idle node costs.
   */
  long statementsRun();

  /** The named statements of the area in this backend's dialect ({@link Statements}). */
  Statements sql(String area);

  Future<Void> close();

  /** Runs the trivial query of {@code meta.sql}: the health check's proof that the database answers. */
  default Future<Void> check() {
    return read(tx -> tx.run(sql("meta").get("health")).mapEmpty());
  }

  /**
   * Writes a consistent copy of the store to {@code file} (which must not exist; its directory
   * must) while serving, and returns its size. Only SQLite stores copy themselves; a PostgreSQL
   * schema is dumped with pg_dump.
   */
  default Future<Long> backupTo(Path file) {
    return Future.failedFuture(new UnsupportedOperationException(backend().id() + " stores are not copied by piri-db"));
  }

  /** Registers the backend's own meters (SQLite: group-commit sizes and commit times). */
  default void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {}
}
