package io.piri.db.backend;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * One store's database, whichever the backend. Stores run their SQL through {@link #write} and
 * {@link #read}; the statements come from {@link #sql}, one file per dialect.
 */
public interface Database {
  StoreId store();

  BackendType backend();

  /** The Flyway version the store's schema is at. */
  String schemaVersion();

  /**
   * Runs {@code work} in one transaction. The returned future succeeds only once the transaction is
   * committed; if {@code work} fails, nothing it did is kept. Failures of the database itself
   * arrive as a 503 {@link io.piri.db.bus.BusException}.
   */
  <T> Future<T> write(Function<SqlConnection, Future<T>> work);

  /** Runs {@code work} with a connection, for statements that change nothing. */
  <T> Future<T> read(Function<SqlConnection, Future<T>> work);

  /**
   * Asks for a wake-up on {@code channel} once the transaction of {@code conn} commits: every
   * listener of the channel, in this process and (PostgreSQL) in every instance on the same
   * database, is then called with {@code payload}. Only inside {@link #write}.
   */
  Future<Void> notifyAfterCommit(SqlConnection conn, String channel, String payload);

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


  /** A byte-array parameter as this backend's driver takes it (pg-client: Buffer). */
  default Object blob(byte[] bytes) {
    return bytes == null ? null : io.vertx.core.buffer.Buffer.buffer(bytes);
  }

  /** The named statements of {@code sql/<dialect>/<area>.sql}. */
  Statements sql(String area);

  Future<Void> close();

  /** Runs the trivial query of {@code meta.sql}: the health check's proof that the database answers. */
  default Future<Void> check() {
    return read(conn -> conn.query(sql("meta").get("health")).execute().mapEmpty());
  }

  /**
   * Writes a consistent copy of the store to {@code file} while serving and returns its size.
   * Only SQLite stores copy themselves; a PostgreSQL schema is dumped with pg_dump.
   */
  default Future<Long> backupTo(java.nio.file.Path file) {
    return Future.failedFuture(io.piri.db.bus.BusException.invalid("backup: store '" + store().id()
        + "' is in PostgreSQL; back it up with pg_dump --schema=" + store().id()
        + " (docs/operations.md, Backup and restore)"));
  }

  /** Registers the backend's own meters (SQLite: group-commit sizes and commit times). */
  default void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {}
}
