package io.piri.db.backend.postgres;

import io.piri.db.backend.Rows;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Tx} over a pg-client connection; {@code inTransaction} false for reads. */
record PgTx(SqlConnection conn, Statements meta, PgListener listener, boolean inTransaction, AtomicLong statementsRun) implements Tx {
  @Override
  public Future<Rows> run(String sql, Object... params) {
    Tx.checkParameters(params);
    Tuple tuple = Tuple.tuple();
    for (Object p : params) tuple.addValue(p instanceof byte[] b ? Buffer.buffer(b) : p);
    statementsRun.incrementAndGet();
    return conn.preparedQuery(sql).execute(tuple)
        .transform(ar -> ar.succeeded() ? Future.succeededFuture(rows(ar.result())) : Future.failedFuture(PgErrors.translate(ar.cause())));
  }

  @Override
  public Future<Void> lock(long key) {
    return inTransaction ? run(meta.get("lock"), key).mapEmpty() : outside("lock");
  }

  @Override
  public Future<Void> lockShared(long key) {
    return inTransaction ? run(meta.get("lock-shared"), key).mapEmpty() : outside("lockShared");
  }

  /** NOTIFY is transactional in PostgreSQL: it is delivered when the transaction commits. */
  @Override
  public Future<Void> notifyAfterCommit(String channel, String payload) {
    return inTransaction ? run(meta.get("notify"), listener.pgChannel(channel), payload).mapEmpty() : outside("notifyAfterCommit");
  }

  private static <T> Future<T> outside(String what) {
    return Future.failedFuture(new IllegalStateException(what + " outside a write transaction"));
  }

  private static Rows rows(RowSet<Row> set) {
    List<String> columns = set.columnsNames() == null ? List.of() : set.columnsNames();
    List<Object[]> values = new ArrayList<>(set.size());
    for (Row r : set) {
      Object[] v = new Object[columns.size()];
      for (int i = 0; i < v.length; i++) v[i] = plain(r.getValue(i));
      values.add(v);
    }
    return Rows.of(columns, values, set.rowCount());
  }

  private static Object plain(Object v) {
    if (v instanceof Buffer b) return b.getBytes();
    if (v instanceof UUID u) return u.toString();
    return v;
  }
}
