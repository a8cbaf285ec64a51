package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.support.SqlRecorder;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stats} of one queue reads only that queue's rows: every statement the store runs for it
 * (seen through a Vert.x tracer, which the SQL clients tell each query) finds its rows of
 * {@code job}, {@code job_dead} and {@code queue_counter} through an index on {@code queue}, by
 * the database's own plan: SQLite's {@code EXPLAIN QUERY PLAN}, PostgreSQL's generic plan with
 * sequential scans off (a small table would be scanned whole whatever the indexes).
 */
public abstract class StatsOneQueueTestBase extends QueueTestBase {
  private static final Pattern READS = Pattern.compile("\\b(FROM|JOIN)\\s+(job|job_dead|queue_counter)\\b",
      Pattern.CASE_INSENSITIVE);

  private final SqlRecorder sql = new SqlRecorder();

  /** The node runs on a Vertx whose tracer records the text of every SQL query while recording. */
  @BeforeEach
  void traceQueries() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    vertx = sql.vertx();
  }

  @Test
  void oneQueueIsCountedFromItsOwnRows() throws Exception {
    startQueues();
    for (int i = 0; i < 3; i++) enqueue(R, "t", "j", i);
    enqueue(R, "t-other", "j", 9);
    complete(R, "t", claimOne(R, "t"));
    call(R, "fail", held("t", claimOne(R, "t")).put("error", "e").put("permanent", true));

    sql.recording(true);
    JsonObject t = stats(R, "t");
    sql.recording(false);
    assertEquals(counts(1, 0, 0, 1, 1), t);

    List<String> reads = sql.statements().stream().filter(s -> READS.matcher(s).find()).toList();
    assertFalse(reads.isEmpty(), "stats ran no statement on the queue tables: " + sql.statements());
    for (String read : reads) {
      List<String> plan = plan(read, noValues(read), "SET enable_seqscan = off");
      assertTrue(readsOneQueue(plan), "not read through a queue index:\n" + read + "\nplan:\n" + String.join("\n", plan));
    }
  }

  /** As many NULLs as {@code sql} has parameters, for PostgreSQL to plan it without values. */
  private static String noValues(String sql) {
    int params = (int) Pattern.compile("\\$\\d+").matcher(sql).results().map(m -> m.group()).distinct().count();
    return params == 0 ? "" : "(" + String.join(", ", Collections.nCopies(params, "NULL")) + ")";
  }

  /**
   * Every access to a queue table in the plan is an index search on {@code queue}: SQLite
   * {@code SEARCH <table> USING ... (queue=?...)}, never {@code SCAN}; PostgreSQL an index or
   * bitmap heap scan whose condition ({@code Index Cond}, {@code Recheck Cond}) starts with
   * {@code queue =}.
   */
  private boolean readsOneQueue(List<String> plan) {
    boolean any = false;
    for (int i = 0; i < plan.size(); i++) {
      String line = plan.get(i);
      if (postgres()) {
        if (!line.matches(".*Scan.* on (job|job_dead|queue_counter)\\b.*")) continue;
        any = true;
        if (line.contains("Seq Scan")) return false;
        String cond = i + 1 < plan.size() ? plan.get(i + 1) : "";
        if (!cond.matches("\\s*(Index|Recheck) Cond: \\(queue = .*")) return false;
      } else {
        if (!line.matches("(SCAN|SEARCH) (job|job_dead|queue_counter)\\b.*")) continue;
        any = true;
        if (!line.startsWith("SEARCH") || !line.contains("(queue=?")) return false;
      }
    }
    return any;
  }
}
