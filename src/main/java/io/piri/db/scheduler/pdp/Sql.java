package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Rows;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.piri.db.core.DbException;
import io.piri.db.scheduler.SchedulerChanges;
import io.vertx.core.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The PDP statements ({@code sql/pdp.sql} and the dialect's own) and the database, shared by the
 * action groups. Constraint violations become protocol errors here, after the transaction has
 * rolled back: a unique rule is a 409, a missing referenced row a 404. What a write touched
 * (proof sets, tasks) is announced once it committed ({@link SchedulerChanges}).
 */
final class Sql {
  final Database db;
  private final Statements statements;
  private final SchedulerChanges changes;

  Sql(Database db, SchedulerChanges changes) {
    this.db = db;
    this.statements = db.sql("pdp");
    this.changes = changes;
  }

  Future<Rows> run(Tx c, String name, Object... params) {
    return c.run(statements.get(name), params);
  }

  /** One transaction; {@code conflict} and {@code missing} describe what a violated rule means. */
  <T> Future<T> write(String conflict, String missing, Function<Tx, Future<T>> work) {
    return write(conflict, missing, (c, touched) -> work.apply(c));
  }

  /** The same, for work that notes what it touched. */
  <T> Future<T> write(String conflict, String missing, BiFunction<Tx, SchedulerChanges.Touched, Future<T>> work) {
    return changes.write(db, work).recover(e -> Future.failedFuture(translate(e, conflict, missing)));
  }

  <T> Future<T> read(Function<Tx, Future<T>> work) {
    return db.read(work);
  }

  /** A read of one statement. */
  Future<Rows> query(String name, Object... params) {
    return db.read(c -> run(c, name, params));
  }

  /** A read of one statement's first row; null when it returns none. */
  Future<Row> first(String name, Object... params) {
    return query(name, params).map(Rows::first);
  }

  private static Throwable translate(Throwable e, String conflict, String missing) {
    if (e instanceof DbException db) {
      if (db.kind() == DbException.Kind.UNIQUE_VIOLATION && conflict != null) return BusException.conflict(conflict);
      if (db.kind() == DbException.Kind.FOREIGN_KEY_VIOLATION && missing != null) return BusException.notFound(missing);
    }
    return e;
  }
}
