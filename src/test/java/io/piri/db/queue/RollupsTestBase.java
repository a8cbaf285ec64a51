package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.config.PiriConfig;
import io.piri.db.server.PiriServer;
import io.piri.db.support.SqlRecorder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-minute rollups ({@code rollups}, table {@code queue_rollup}): each minute with activity
 * becomes one row once it is over, an idle minute costs nothing, old rows go with the writes of
 * new ones, and the read action checks its window. Time moves on the test clock only: a minute's
 * row is written by the timer that fires just after the minute ends.
 */
public abstract class RollupsTestBase extends QueueTestBase {
  protected static final long MINUTE = 60_000;

  private final SqlRecorder sql = new SqlRecorder();

  @BeforeEach
  void traceQueries() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    vertx = sql.vertx();
  }

  protected PiriConfig rollupConfig(String retention) {
    JsonObject sections = new JsonObject().put("queues", testQueues());
    if (retention != null) {
      sections.put("repo", new JsonObject().put("database", new JsonObject().put("rollup_retention", retention)));
    }
    return thisNodeWith(sections).withHttpPort(config.http().port());
  }

  /** The start of the next minute plus {@code offset} ms: where a test's first minute begins. */
  protected long nextMinute(long offset) {
    long next = Rollups.minuteOf(clock.now()) + MINUTE;
    clock.advanceTo(next + offset);
    return next;
  }

  /**
   * Moves time on to {@code at} and waits for the rollup writes of the minutes that ended on the
   * way (a read waits for them), so that each is written at the time its timer fired.
   */
  protected void advanceTo(long at) throws Exception {
    clock.advanceTo(at);
    rollups(R, "t", null, null);
  }

  protected JsonArray rollups(String queue, Long from, Long to) throws Exception {
    return rollups(R, queue, from, to);
  }

  protected JsonArray rollups(io.piri.db.core.StoreId store, String queue, Long from, Long to) throws Exception {
    JsonObject body = new JsonObject().put("queue", queue);
    if (from != null) body.put("from", from);
    if (to != null) body.put("to", to);
    return call(store, "rollups", body).getJsonArray("minutes");
  }

  protected static void assertCounts(JsonObject row, long minute, long enqueued, long completed, long failed, long dead) {
    assertEquals(minute, row.getLong("minute"), row.encode());
    assertEquals(List.of(enqueued, completed, failed, dead),
        List.of(row.getLong("enqueued"), row.getLong("completed"), row.getLong("failed"), row.getLong("dead")), row.encode());
  }

  @Test
  void threeMinutesOfActivityGiveThreeRows() throws Exception {
    startServer(rollupConfig(null));
    long a = nextMinute(1_000);
    for (int i = 0; i < 3; i++) enqueue(R, "t", "j", i);
    JsonArray two = claim(R, "t", 2);
    complete(R, "t", two.getJsonObject(0));
    call(R, "fail", held("t", two.getJsonObject(1)).put("error", "e").put("permanent", true));

    advanceTo(a + MINUTE + 1_000);
    long b = a + MINUTE;
    enqueue(R, "t", "j", 3);
    complete(R, "t", claimOne(R, "t"));

    advanceTo(b + MINUTE + 1_000);
    long c = b + MINUTE;
    enqueue(R, "t", "j", 4);
    enqueue(R, "t", "j", 5);
    // An attempt that times out reaped as dead: the last attempt of a job of 'once' whose lease runs out.
    enqueue(E, "once", "j", 6);
    claimOne(E, "once");
    clock.advance(400);
    // stats waits for the due-time pass under way, whose reap is reported once it commits.
    assertEquals(1, stats(E, "once").getInteger("dead"));

    advanceTo(c + MINUTE + 1_000);
    JsonArray rows = rollups("t", a, clock.now());
    assertEquals(3, rows.size(), rows.encode());
    assertCounts(rows.getJsonObject(0), a, 3, 1, 1, 1);
    assertCounts(rows.getJsonObject(1), b, 1, 1, 0, 0);
    assertCounts(rows.getJsonObject(2), c, 2, 0, 0, 0);
    // The lag is measured when the minute's row is written, just after its end (the timer fires 1 ms
    // after): the job left ready from minute a was enqueued at a + 1s; from minute b on, at b + 1s.
    assertEquals(MINUTE + 1 - 1_000, rows.getJsonObject(0).getLong("lag_ms"), rows.encode());
    assertEquals(MINUTE + 1 - 1_000, rows.getJsonObject(1).getLong("lag_ms"), rows.encode());
    assertEquals(2 * MINUTE + 1 - 1_000, rows.getJsonObject(2).getLong("lag_ms"), rows.encode());
    for (int i = 0; i < 2; i++) {
      JsonObject r = rows.getJsonObject(i);
      double p50 = r.getDouble("claim_p50_ms");
      assertTrue(p50 > 0 && p50 <= r.getDouble("claim_p95_ms") && r.getDouble("claim_p95_ms") <= r.getDouble("claim_p99_ms"), r.encode());
    }
    assertNull(rows.getJsonObject(2).getValue("claim_p50_ms"), "no claim in minute c");

    // The lease of the 'once' job (300 ms) ran out in minute c: dead-lettered there.
    JsonArray once = rollups(E, "once", a, clock.now());
    assertEquals(1, once.size(), once.encode());
    assertCounts(once.getJsonObject(0), c, 1, 0, 0, 1);
    assertEquals(0, once.getJsonObject(0).getLong("lag_ms"), "no ready job left");
    assertEquals(0, rollups("t-other", a, clock.now()).size(), "a queue without activity has no rows");
  }

  @Test
  void anIdleMinuteWritesNoRowAndRunsNoSql() throws Exception {
    startServer(rollupConfig(null));
    long a = nextMinute(1_000);
    enqueue(R, "t", "j", 1);
    complete(R, "t", claimOne(R, "t"));
    advanceTo(a + MINUTE + 1_000);
    assertEquals(1, rollups("t", a, clock.now()).size(), "minute a written");

    long commits = sqliteCommits();
    sql.recording(true);
    clock.advanceTo(a + 2 * MINUTE + 1_000);
    clock.advanceTo(a + 3 * MINUTE + 1_000);
    sql.recording(false);
    assertEquals(List.of(), sql.statements(), "SQL run while idle");
    assertEquals(commits, sqliteCommits(), "SQLite commits while idle");

    long d = a + 3 * MINUTE;
    enqueue(R, "t", "j", 2);
    advanceTo(d + MINUTE + 1_000);
    JsonArray rows = rollups("t", a, clock.now());
    assertEquals(List.of(a, d), minutes(rows), rows.encode());
  }

  @Test
  void writesPruneRowsOlderThanTheRetention() throws Exception {
    startServer(rollupConfig("2m"));
    long a = nextMinute(1_000);
    for (int i = 0; i < 4; i++) {
      enqueue(R, "t", "j", i);
      advanceTo(a + (i + 1) * MINUTE + 1_000);
    }
    // Written at a + 4m + 1 ms: the retention reaches back to a + 2m + 1 ms, into minute a + 2m, the
    // oldest kept.
    JsonArray rows = rollups("t", a, clock.now());
    assertEquals(List.of(a + 2 * MINUTE, a + 3 * MINUTE), minutes(rows), rows.encode());
    // Nothing is pruned while nothing is written.
    clock.advance(10 * MINUTE);
    assertEquals(2, rollups("t", a, clock.now()).size());
  }

  @Test
  void theReadTakesAWindowOfMinutes() throws Exception {
    startServer(rollupConfig(null));
    long a = nextMinute(1_000);
    for (int i = 0; i < 3; i++) {
      enqueue(R, "t", "j", i);
      advanceTo(a + (i + 1) * MINUTE + 1_000);
    }
    long b = a + MINUTE;
    long c = b + MINUTE;
    assertEquals(List.of(a, b, c), minutes(rollups("t", null, null)), "the last hour by default");
    assertEquals(List.of(b), minutes(rollups("t", b, c)), "to is exclusive");
    assertEquals(List.of(b, c), minutes(rollups("t", b + 30_000, null)), "from counts the minute it falls in");
    assertEquals(List.of(), minutes(rollups("t", c + MINUTE, null)));
    long to = c + MINUTE;
    assertEquals(3, rollups("t", to - 1440 * MINUTE, to).size(), "a day is the widest window");

    assertCode(400, callFails(R, "rollups", new JsonObject().put("queue", "t").put("from", to - 1441 * MINUTE).put("to", to)), "from");
    assertCode(400, callFails(R, "rollups", new JsonObject().put("queue", "t").put("from", c).put("to", b)), "from");
    assertCode(400, callFails(R, "rollups", new JsonObject().put("queue", "t").put("from", "x")), "from");
    assertCode(400, callFails(R, "rollups", new JsonObject().put("queue", "t").put("to", -1)), "to");
    assertCode(400, callFails(R, "rollups", new JsonObject().put("queue", "nope")), "queue");
    assertCode(400, callFails(R, "rollups", new JsonObject()), "queue");
    assertCode(400, callFails(R, "rollups", new JsonObject().put("queue", "t").put("limit", 5)), "limit");
    assertCode(400, callFails(A, "rollups", new JsonObject().put("queue", "t")), "queue");
  }

  @Test
  void aStopWritesTheMinuteInProgressAndAStartAddsToIt() throws Exception {
    PiriServer first = startServer(rollupConfig(null));
    long a = nextMinute(1_000);
    enqueue(R, "t", "j", 1);
    enqueue(R, "t", "j", 2);
    stopServer(first);
    assertEquals(List.of(List.of(a, 2L)), storedRows("t"), "written at the stop");

    startServer(backend().sameNode(rollupConfig(null)));
    clock.advance(1_000);
    enqueue(R, "t", "j", 3);
    advanceTo(a + MINUTE + 1_000);
    JsonArray rows = rollups("t", a, clock.now());
    assertEquals(1, rows.size(), rows.encode());
    assertCounts(rows.getJsonObject(0), a, 3, 0, 0, 0);
  }

  protected static List<Long> minutes(JsonArray rows) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) out.add(rows.getJsonObject(i).getLong("minute"));
    return out;
  }

  /** (minute, enqueued) of the queue's rows, read straight from the database. */
  protected List<List<Long>> storedRows(String queue) throws Exception {
    List<List<Long>> out = new ArrayList<>();
    try (Connection c = backend().connect(config, R); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT minute, enqueued FROM queue_rollup WHERE queue = '" + queue + "' ORDER BY minute")) {
      while (rs.next()) out.add(List.of(rs.getLong(1), rs.getLong(2)));
    }
    return out;
  }

  /** Commits of every SQLite writer so far, from /metrics (0 on PostgreSQL, whose statements the tracer sees). */
  private long sqliteCommits() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.http().port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    long n = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("piri_db_sqlite_commit_seconds_count")) n += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return n;
  }
}
