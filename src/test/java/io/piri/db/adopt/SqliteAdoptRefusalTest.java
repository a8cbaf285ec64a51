package io.piri.db.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.support.ChildJvm;
import io.piri.db.support.Cli;
import io.piri.db.support.TestBackend;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqliteAdoptRefusalTest extends AdoptRefusalTestBase {
  /** A Piri in the middle of a write: another connection holds the file's write lock. */
  @Override
  protected AutoCloseable piriStillRunning() throws Exception {
    Connection c = backend().connect(config, StoreId.REPLICATOR);
    Statement st = c.createStatement();
    st.execute("BEGIN IMMEDIATE");
    return () -> {
      st.execute("ROLLBACK");
      st.close();
      c.close();
    };
  }

  @Override
  protected String holderInMessage() {
    return "replicator.db is being written by another connection";
  }

  /** An idle Piri holds no lock, only its open files: another process that has them open is refused too. */
  @Test
  void refusesWhileAnotherProcessHasTheFilesOpen() throws Exception {
    piriNode();
    String before = snapshot();
    try (ChildJvm piri = ChildJvm.start(tmp, Map.of(), IdleSqliteHolder.class.getName(),
        config.dataDir().resolve(StoreId.AGGREGATOR.sqliteFile()).toString())) {
      piri.awaitLine("open"::equals, Duration.ofSeconds(30));

      Cli.Result r = adopt();

      assertEquals(ExitException.FAILED, r.code(), r.toString());
      assertTrue(r.err().contains("jobqueue.db is open in pid "), r.err());
    }
    assertEquals(before, snapshot());
  }

  @Override
  protected TestBackend backend() {
    return TestBackend.sqlite();
  }
}
