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

  private final PreparedStatement live;
  private final PreparedStatement dead;
  private final PreparedStatement done;
  private int liveQueued;
  private int deadQueued;
  private int doneQueued;

  JobTables(Connection c, Statements sql) throws SQLException {
    live = c.prepareStatement(sql.get("job-insert"));
    dead = c.prepareStatement(sql.get("dead-insert"));
    done = c.prepareStatement(sql.get("done-insert"));
  }

  @Override
  public void live(String queue, String name, byte[] payload, byte[] key, long enqueuedAt, long runAt, int attempts,
                   int maxAttempts, String receipt) throws SQLException {
    live.setString(1, queue);
    live.setString(2, name);
    live.setBytes(3, payload);
    bytesOrNull(live, 4, key);
    live.setLong(5, enqueuedAt);
    live.setLong(6, runAt);
    live.setInt(7, attempts);
    live.setInt(8, maxAttempts);
    if (receipt == null) live.setNull(9, Types.VARCHAR);
    else live.setString(9, receipt);
    live.addBatch();
    if (++liveQueued == BATCH) liveQueued = send(live);
  }

  @Override
  public void dead(long jobId, String queue, String name, byte[] payload, byte[] key, long enqueuedAt, int attempts,
                   String reason, String error, long failedAt) throws SQLException {
    dead.setLong(1, jobId);
    dead.setString(2, queue);
    dead.setString(3, name);
    dead.setBytes(4, payload);
    bytesOrNull(dead, 5, key);
    dead.setLong(6, enqueuedAt);
    dead.setInt(7, attempts);
    dead.setString(8, reason);
    dead.setString(9, error);
    dead.setLong(10, failedAt);
    dead.addBatch();
    if (++deadQueued == BATCH) deadQueued = send(dead);
  }

  @Override
  public void done(String queue, String name, byte[] key, int status, long doneAt) throws SQLException {
    done.setString(1, queue);
    done.setString(2, name);
    done.setBytes(3, key);
    done.setInt(4, status);
    done.setLong(5, doneAt);
    done.addBatch();
    if (++doneQueued == BATCH) doneQueued = send(done);
  }

  @Override
  public void flush() throws SQLException {
    if (doneQueued > 0) doneQueued = send(done);
    if (deadQueued > 0) deadQueued = send(dead);
    if (liveQueued > 0) liveQueued = send(live);
  }

  @Override
  public void close() throws SQLException {
    try (live; dead; done) {
      // closing the three statements is all there is to do
    }
  }

  private static int send(PreparedStatement ps) throws SQLException {
    ps.executeBatch();
    return 0;
  }

  private static void bytesOrNull(PreparedStatement ps, int i, byte[] b) throws SQLException {
    if (b == null) ps.setNull(i, Types.BINARY);
    else ps.setBytes(i, b);
  }
}
