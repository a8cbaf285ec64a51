package io.piri.db.adopt;

import io.piri.db.backend.Statements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * piri-db's job tables as the destination of {@link QueueCopy}: prepared inserts sent in batches
 * on the converting transaction's connection, so that a million jobs never sit in memory.
 */
final class JobTables implements QueueCopy.Sink, AutoCloseable {
  private static final int BATCH = 1000;

  private final Batch live;
  private final Batch dead;
  private final Batch done;

  JobTables(Connection c, Statements sql) throws SQLException {
    live = new Batch(c.prepareStatement(sql.get("job-insert")));
    dead = new Batch(c.prepareStatement(sql.get("dead-insert")));
    done = new Batch(c.prepareStatement(sql.get("done-insert")));
  }

  @Override
  public void live(String queue, String name, byte[] payload, byte[] key, long enqueuedAt, long runAt, int attempts,
                   int maxAttempts, String receipt) throws SQLException {
    live.add(queue, name, payload, or(key, Types.BINARY), enqueuedAt, runAt, attempts, maxAttempts, or(receipt, Types.VARCHAR));
  }

  @Override
  public void dead(long jobId, String queue, String name, byte[] payload, byte[] key, long enqueuedAt, int attempts,
                   String reason, String error, long failedAt) throws SQLException {
    dead.add(jobId, queue, name, payload, or(key, Types.BINARY), enqueuedAt, attempts, reason, error, failedAt);
  }

  @Override
  public void done(String queue, String name, byte[] key, int status, long doneAt) throws SQLException {
    done.add(queue, name, key, status, doneAt);
  }

  @Override
  public void flush() throws SQLException {
    done.send();
    dead.send();
    live.send();
  }

  @Override
  public void close() throws SQLException {
    try (live; dead; done) {
      // closing the three statements is all there is to do
    }
  }

  /** A column value that may be NULL: the drivers need the SQL type of a NULL they are given. */
  private record Nullable(Object value, int sqlType) {}

  private static Object or(Object value, int sqlType) {
    return value == null ? new Nullable(null, sqlType) : value;
  }

  /** An insert whose bound rows go to the database {@link #BATCH} at a time. */
  private static final class Batch implements AutoCloseable {
    private final PreparedStatement insert;
    private int queued;

    Batch(PreparedStatement insert) {
      this.insert = insert;
    }

    /** Queues a row of these column values; sends the batch once it is full. */
    void add(Object... values) throws SQLException {
      for (int i = 0; i < values.length; i++) {
        Object v = values[i];
        if (v instanceof Nullable n) insert.setNull(i + 1, n.sqlType());
        else if (v instanceof byte[] b) insert.setBytes(i + 1, b);
        else insert.setObject(i + 1, v);
      }
      insert.addBatch();
      if (++queued == BATCH) send();
    }

    void send() throws SQLException {
      if (queued > 0) insert.executeBatch();
      queued = 0;
    }

    @Override
    public void close() throws SQLException {
      insert.close();
    }
  }
}
