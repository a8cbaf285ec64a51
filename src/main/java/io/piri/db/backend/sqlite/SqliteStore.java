package io.piri.db.backend.sqlite;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.config.BackendType;
import io.piri.db.core.StoreId;
import io.vertx.core.Vertx;

/** What a store's SQLite file answers alike whether it is opened to serve or read-only. */
abstract class SqliteStore implements Database {
  final StoreId store;
  final SqliteReaders readers;

  SqliteStore(StoreId store, SqliteReaders readers) {
    this.store = store;
    this.readers = readers;
  }

  final Vertx vertx() {
    return readers.vertx();
  }

  @Override
  public final StoreId store() {
    return store;
  }

  @Override
  public final BackendType backend() {
    return BackendType.SQLITE;
  }

  @Override
  public final long statementsRun() {
    return readers.statementsRun().get();
  }

  @Override
  public final Statements sql(String area) {
    return Statements.load("sqlite", area);
  }
}
