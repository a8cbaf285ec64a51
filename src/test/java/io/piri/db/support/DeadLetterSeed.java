package io.piri.db.support;

import io.piri.db.backend.Statements;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.StoreId;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * Many dead letters in a second: written over plain JDBC into the store of a stopped node (started
 * once, so that it is migrated), where enqueuing, claiming and failing each job on the bus would
 * take minutes. SQL in src/test/resources/sql/seed.sql.
 */
public final class DeadLetterSeed {
  private DeadLetterSeed() {}

  /**
   * Writes {@code n} dead letters of {@code queue} (one without search fields) into {@code store}
   * of the node {@code cfg}, a store that has had no job yet: those of jobs 1..n, named {@code
   * job-<i>}, failed for good at {@code at} with the error {@code boom job-<i>}. In the same
   * transaction the queue's dead counter is made exact, as migration V102 counts it, and the
   * store's next job ids come after n.
   */
  public static void write(TestBackend backend, PiriConfig cfg, StoreId store, String queue, int n, long at) throws Exception {
    Statements sql = Statements.load(backend.type().id(), "seed");
    try (Connection c = backend.connect(cfg, store)) {
      c.setAutoCommit(false);
      run(c, sql.get("dead"), queue, at, n);
      run(c, sql.get("job-ids-taken"), n);
      run(c, sql.get("dead-counter-clear"), queue);
      run(c, sql.get("dead-counter"), queue, queue);
      c.commit();
    }
  }

  private static void run(Connection c, String sql, Object... params) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      ps.execute();
    }
  }
}
