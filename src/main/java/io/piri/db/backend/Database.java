package io.piri.db.backend;

import io.piri.db.StoreId;
import io.piri.db.config.BackendType;
import io.vertx.core.Future;
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

  /** The named statements of {@code sql/<dialect>/<area>.sql}. */
  Statements sql(String area);

  Future<Void> close();
}
