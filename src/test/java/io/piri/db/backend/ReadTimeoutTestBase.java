package io.piri.db.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.DbException;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#readWithTimeout}: a statement still running at the limit is stopped and the read
 * fails with a TIMEOUT; the connection serves the next read as usual.
 */
public abstract class ReadTimeoutTestBase extends ServerTestBase {
  /** Counts to a billion: seconds on either database, far past the limit the test sets. */
  private static final String SLOW = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) "
      + "SELECT count(*) AS n FROM c";

  protected abstract Future<Database> open() throws Exception;

  @Test
  void aSlowReadIsStoppedAtItsLimitAndTheNextReadWorks() throws Exception {
    Database db = open().await(60, TimeUnit.SECONDS);
    try {
      long started = System.nanoTime();
      Exception e = assertThrows(Exception.class,
          () -> db.readWithTimeout(100, tx -> tx.run(SLOW)).await(30, TimeUnit.SECONDS));
      long ms = (System.nanoTime() - started) / 1_000_000;
      Throwable cause = e instanceof CompletionException ? e.getCause() : e;
      assertTrue(cause instanceof DbException d && d.kind() == DbException.Kind.TIMEOUT, String.valueOf(cause));
      assertTrue(ms < 5_000, "stopped after " + ms + " ms");
      for (int i = 0; i < 4; i++) {
        Rows rows = db.readWithTimeout(2_000, tx -> tx.run(db.sql("meta").get("health"))).await(30, TimeUnit.SECONDS);
        assertEquals(1, rows.size());
      }
    } finally {
      db.close().await(30, TimeUnit.SECONDS);
    }
  }
}
