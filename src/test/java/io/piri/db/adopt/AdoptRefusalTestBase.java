package io.piri.db.adopt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.ExitException;
import io.piri.db.core.StoreId;
import io.piri.db.support.Cli;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Where adopt (and serve) must refuse, and change nothing when they do: a Piri that still runs,
 * tables of a Piri release adopt does not know, jobs of a queue the configuration lacks, stores
 * already adopted, and serve started on Piri's databases before adopt.
 */
abstract class AdoptRefusalTestBase extends AdoptTestSupport {
  /** Holds the stores the way a Piri that still runs does, until closed. */
  protected abstract AutoCloseable piriStillRunning() throws Exception;

  /** Part of the refusal that names what holds the stores. */
  protected abstract String holderInMessage();

  @Test
  void refusesWhilePiriStillRuns() throws Exception {
    piriNode();
    try (AutoCloseable piri = piriStillRunning()) {
      String before = snapshot();

      Cli.Result r = adopt();

      assertEquals(ExitException.FAILED, r.code(), r.toString());
      assertTrue(r.err().contains("Piri still uses its databases") && r.err().contains(holderInMessage()), r.err());
      assertTrue(r.err().contains("nothing was changed"), r.err());
      assertEquals(before, snapshot());
    }
  }

  @Test
  void refusesALayoutItDoesNotKnow() throws Exception {
    t0 = System.currentTimeMillis();
    try (PiriNode node = PiriNode.create(config)) {
      new PiriScenario(t0).build(node);
      node.exec(StoreId.EGRESS_TRACKER, "ALTER TABLE jobqueue ADD COLUMN priority INTEGER");
    }
    String before = snapshot();

    Cli.Result r = adopt();

    assertEquals(ExitException.FAILED, r.code(), r.toString());
    assertTrue(r.err().contains("store egress_tracker") && r.err().contains("does not match a Piri release adopt knows")
        && r.err().contains("table 'jobqueue' has a column 'priority' that Piri does not create"), r.err());
    assertEquals(before, snapshot());
    assertEquals(ExitException.FAILED, adopt("--dry-run").code(), "a dry run says so too");
  }

  @Test
  void refusesJobsOfAQueueTheConfigurationLacks() throws Exception {
    t0 = System.currentTimeMillis();
    try (PiriNode node = PiriNode.create(config)) {
      new PiriScenario(t0).build(node);
      node.classicJob(StoreId.REPLICATOR, "mystery", "x", new byte[] {1}, 0, t0, t0, ZoneOffset.UTC);
    }
    String before = snapshot();

    Cli.Result r = adopt();

    assertEquals(ExitException.FAILED, r.code(), r.toString());
    assertTrue(r.err().contains("'mystery' (1 jobs and dead letters)") && r.err().contains("queues.<name>"), r.err());
    assertEquals(before, snapshot());
  }

  @Test
  void adoptingTwiceChangesNothing() throws Exception {
    piriNode();
    Cli.Result first = adopt();
    assertEquals(0, first.code(), first.toString());
    assertTrue(first.out().contains("adopted"), first.out());
    String before = snapshot();

    Cli.Result again = adopt();

    assertEquals(0, again.code(), again.toString());
    assertTrue(again.out().contains("Nothing to do: every store there is already a piri-db store"), again.out());
    assertEquals(before, snapshot());
  }

  @Test
  void serveBeforeAdoptRefusesAndChangesNothing() throws Exception {
    piriNode();
    String before = snapshot();

    ExitException e = assertThrows(ExitException.class, () -> startServer(serveConfig()));

    assertEquals(ExitException.BAD_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("Piri's own") && e.getMessage().contains("piri-db adopt"), e.getMessage());
    assertEquals(before, snapshot());

    Cli.Result serve = Cli.run("serve", "--config", configFile.toString());
    assertEquals(ExitException.BAD_CONFIG, serve.code(), serve.toString());
    assertEquals(1, serve.err().lines().filter(l -> !l.isBlank() && !l.matches("^\\d{4}-\\d\\d-\\d\\d .*")).count(), serve.err());
    assertTrue(serve.err().contains("piri-db adopt") && !serve.err().contains("baseline"), serve.err());
    assertEquals(before, snapshot());
  }
}
