package io.piri.db.backend.sqlite;

import io.piri.db.backend.Rows;
import io.piri.db.backend.Tx;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Tx} of one request on the writer: plain blocking JDBC on the writer's thread, so every
 * future it returns is already complete. Its notifications wait for the batch to commit. Once the
 * request's turn is over it refuses further statements.
 */
final class JdbcTx implements Tx {
  record Notification(String channel, String payload) {}

  private final StatementCache statements;
  private final AtomicLong statementsRun;
  private final List<Notification> notifications = new ArrayList<>(1);
  private boolean over;

  JdbcTx(StatementCache statements, AtomicLong statementsRun) {
    this.statements = statements;
    this.statementsRun = statementsRun;
  }

  @Override
  public Future<Rows> run(String sql, Object... params) {
    if (over) return Future.failedFuture(new IllegalStateException("statement after the request's turn on the SQLite writer: " + sql));
    try {
      Tx.checkParameters(params);
      statementsRun.incrementAndGet();
      return Future.succeededFuture(execute(statements.prepare(sql), params));
    } catch (SQLException e) {
      // the driver finalizes a statement that failed with most errors: it is prepared again next time
      statements.forget(sql);
      return Future.failedFuture(SqliteErrors.of(e));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** The single writer runs one transaction at a time: nothing to wait for. */
  @Override
  public Future<Void> lock(long key) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> lockShared(long key) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> notifyAfterCommit(String channel, String payload) {
    notifications.add(new Notification(channel, payload));
    return Future.succeededFuture();
  }

  List<Notification> notifications() {
    return notifications;
  }

  void end() {
    over = true;
  }

  static Rows execute(PreparedStatement ps, Object[] params) throws SQLException {
    ps.clearParameters();
    for (int i = 0; i < params.length; i++) bind(ps, i + 1, params[i]);
    if (!ps.execute()) return Rows.of(List.of(), List.of(), ps.getUpdateCount());
    try (ResultSet rs = ps.getResultSet()) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> columns = new ArrayList<>(meta.getColumnCount());
      for (int i = 1; i <= meta.getColumnCount(); i++) columns.add(meta.getColumnLabel(i));
      List<Object[]> values = new ArrayList<>();
      while (rs.next()) {
        Object[] row = new Object[columns.size()];
        for (int i = 0; i < row.length; i++) row[i] = rs.getObject(i + 1);
        values.add(row);
      }
      return Rows.of(columns, values, values.size());
    }
  }

  private static void bind(PreparedStatement ps, int i, Object p) throws SQLException {
    if (p == null) ps.setNull(i, Types.NULL);
    else if (p instanceof Long l) ps.setLong(i, l);
    else if (p instanceof Integer n) ps.setInt(i, n);
    else if (p instanceof String s) ps.setString(i, s);
    else if (p instanceof Boolean b) ps.setBoolean(i, b);
    else ps.setBytes(i, (byte[]) p);
  }
}
