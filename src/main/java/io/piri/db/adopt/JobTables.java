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
    PreparedStatement row = live.insert;
    row.setString(1, queue);
    row.setString(2, name);
    row.setBytes(3, payload);
    bytesOrNull(row, 4, key);
    row.setLong(5, enqueuedAt);
    row.setLong(6, runAt);
    row.setInt(7, attempts);
    row.setInt(8, maxAttempts);
    if (receipt == null) row.setNull(9, Types.VARCHAR);
    else row.setString(9, receipt);
    live.add();
  }

  @Override
  public void dead(long jobId, String queue, String name, byte[] payload, byte[] key, long enqueuedAt, int attempts,
                   String reason, String error, long failedAt) throws SQLException {
    PreparedStatement row = dead.insert;
    row.setLong(1, jobId);
    row.setString(2, queue);
    row.setString(3, name);
    row.setBytes(4, payload);
    bytesOrNull(row, 5, key);
    row.setLong(6, enqueuedAt);
    row.setInt(7, attempts);
    row.setString(8, reason);
    row.setString(9, error);
    row.setLong(10, failedAt);
    dead.add();
  }

  @Override
  public void done(String queue, String name, byte[] key, int status, long doneAt) throws SQLException {
    PreparedStatement row = done.insert;
    row.setString(1, queue);
    row.setString(2, name);
    row.setBytes(3, key);
    row.setInt(4, status);
    row.setLong(5, doneAt);
    done.add();
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

  private static void bytesOrNull(PreparedStatement ps, int i, byte[] b) throws SQLException {
    if (b == null) ps.setNull(i, Types.BINARY);
    else ps.setBytes(i, b);
  }

  /** An insert whose bound rows go to the database {@link #BATCH} at a time. */
  private static final class Batch implements AutoCloseable {
    final PreparedStatement insert;
    private int queued;

    Batch(PreparedStatement insert) {
      this.insert = insert;
    }

    /** Queues the row bound on {@link #insert}; sends the batch once it is full. */
    void add() throws SQLException {
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
