package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.bus.BusException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.sql.SQLException;
import java.util.function.Function;

/**
 * The PDP statements ({@code sql/<dialect>/pdp.sql}) and the database, shared by the action
 * groups. Constraint violations become protocol errors here, after the transaction has rolled
 * back: a unique rule is a 409, a missing referenced row a 404.
 */
final class Sql {
  final Database db;
  private final Statements statements;

  Sql(Database db) {
    this.db = db;
    this.statements = db.sql("pdp");
  }

  Future<RowSet<Row>> run(SqlConnection c, String name, Object... params) {
    return c.preparedQuery(statements.get(name)).execute(Tuple.wrap(java.util.Arrays.asList(params)));
  }

  Object blob(byte[] b) {
    return db.blob(b);
  }

  /** One transaction; {@code conflict} and {@code missing} describe what a violated rule means. */
  <T> Future<T> write(String conflict, String missing, Function<SqlConnection, Future<T>> work) {
    return db.<T>write(work).recover(e -> Future.failedFuture(translate(e, conflict, missing)));
  }

  <T> Future<T> read(Function<SqlConnection, Future<T>> work) {
    return db.read(work);
  }

  private static Throwable translate(Throwable e, String conflict, String missing) {
    if (e instanceof BusException) return e;
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof PgException pg && pg.getSqlState() != null) {
        if (pg.getSqlState().equals("23505") && conflict != null) return BusException.conflict(conflict);
        if (pg.getSqlState().equals("23503") && missing != null) return BusException.notFound(missing);
      }
      if (c instanceof SQLException s && (s.getErrorCode() & 0xff) == 19) {
        String m = String.valueOf(s.getMessage());
        if ((m.contains("UNIQUE") || m.contains("PRIMARY KEY")) && conflict != null) return BusException.conflict(conflict);
        if (m.contains("FOREIGN KEY") && missing != null) return BusException.notFound(missing);
      }
    }
    return e;
  }
}
