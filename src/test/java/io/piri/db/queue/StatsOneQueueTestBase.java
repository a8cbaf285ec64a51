package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.config.BackendType;
import io.piri.db.support.TestPostgres;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
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

  private final List<String> statements = new CopyOnWriteArrayList<>();
  private volatile boolean recording;

  /** The node runs on a Vertx whose tracer records the text of every SQL query while recording. */
  @BeforeEach
  void traceQueries() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    vertx = Vertx.builder().withTracer(options -> new VertxTracer<Object, Object>() {
      @Override
      public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
          BiConsumer<String, String> headers, TagExtractor<R> tags) {
        String sql = tags.extract(request).get("db.query.text");
        if (recording && sql != null) statements.add(sql);
        return null;
      }
    }).build();
  }

  @Test
  void oneQueueIsCountedFromItsOwnRows() throws Exception {
    startQueues();
    for (int i = 0; i < 3; i++) enqueue(R, "t", "j", i);
    enqueue(R, "t-other", "j", 9);
    complete(R, "t", claimOne(R, "t"));
    call(R, "fail", held("t", claimOne(R, "t")).put("error", "e").put("permanent", true));

    recording = true;
    JsonObject t = stats(R, "t");
    recording = false;
    assertEquals(counts(1, 0, 0, 1, 1), t);

    List<String> reads = statements.stream().filter(s -> READS.matcher(s).find()).toList();
    assertFalse(reads.isEmpty(), "stats ran no statement on the queue tables: " + statements);
    for (String sql : reads) {
      List<String> plan = plan(sql);
      assertTrue(readsOneQueue(plan), "not read through a queue index:\n" + sql + "\nplan:\n" + String.join("\n", plan));
    }
  }

  private List<String> plan(String sql) throws Exception {
    List<String> lines = new ArrayList<>();
    if (backend().type() == BackendType.POSTGRES) {
      try (Connection c = TestPostgres.connect(config.postgres().url()); Statement s = c.createStatement()) {
        s.execute("SET search_path = " + R.id());
        s.execute("SET enable_seqscan = off");
        s.execute("SET plan_cache_mode = force_generic_plan");
        s.execute("PREPARE stats_statement AS " + sql);
        int params = (int) Pattern.compile("\\$\\d+").matcher(sql).results().map(m -> m.group()).distinct().count();
        String nulls = String.join(", ", Collections.nCopies(params, "NULL"));
        try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE stats_statement" + (params == 0 ? "" : "(" + nulls + ")"))) {
          while (rs.next()) lines.add(rs.getString(1));
        }
      }
    } else {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + config.dataDir().resolve(R.sqliteFile()));
          Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
        while (rs.next()) lines.add(rs.getString("detail"));
      }
    }
    return lines;
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
      if (backend().type() == BackendType.POSTGRES) {
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
