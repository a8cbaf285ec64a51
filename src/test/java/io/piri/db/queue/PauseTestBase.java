package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.backend.Statements;
import io.piri.db.bus.ActionRouter;
import io.piri.db.support.Eventually;
import io.piri.db.support.TestPostgres;
import io.piri.db.core.StoreId;
import io.piri.db.server.PiriServer;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pause and resume of queues: once a pause is acknowledged no claim hands out a job of the queue
 * (also one that was already waiting, and on PostgreSQL on every instance), while its jobs stay
 * ready and everything else works; stats shows it; a pause survives a restart; a resume wakes the
 * waiting claims at once; each change writes an audit row; a bad request changes nothing. Time
 * moves only when a test advances the clock, so a waiting claim answered with a job while the
 * clock stood still was woken by the resume, not by its deadline.
 */
public abstract class PauseTestBase extends QueueTestBase {

  private static JsonObject one(String queue) {
    return new JsonObject().put("queue", queue);
  }

  private static JsonObject all() {
    return new JsonObject().put("all", true);
  }

  /** A change sent with the actor headers the console sends. */
  private Future<JsonObject> asOperator(StoreId store, String action, JsonObject body, String actor) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(40_000).addHeader(ActionRouter.ACTION_HEADER, action)
        .addHeader("actor", actor).addHeader("actor_role", "operator").addHeader("via", "console");
    return vertx.eventBus().<JsonObject>request(store.address(), body, opts).map(m -> m.body());
  }

  private Future<JsonObject> waiting(Bus bus, String queue, long waitMs) throws Exception {
    return waitingClaim(bus, R, claimBody(queue, 5).put("wait_ms", waitMs));
  }

  /** A claim of one job that waits in the store. */
  private Future<JsonObject> waitingForOne(Bus bus, String queue, long waitMs) throws Exception {
    return waitingClaim(bus, R, claimBody(queue, 1).put("wait_ms", waitMs));
  }

  private static JsonArray jobsOf(Future<JsonObject> f, long seconds) throws Exception {
    return f.await(seconds, TimeUnit.SECONDS).getJsonArray("jobs");
  }

  private boolean paused(StoreId store, String queue) throws Exception {
    return stats(store, queue).getBoolean("paused");
  }

  @Test
  void aPausedQueueHandsOutNothingWhileItsJobsStayReady() throws Exception {
    startQueues();
    Future<JsonObject> alreadyWaiting = waiting(local(), "t", 5_000);
    JsonObject paused = call(R, "pause", one("t"));
    assertEquals("t", paused.getString("queue"));
    assertTrue(paused.getBoolean("paused"));
    assertEquals(clock.now(), paused.getLong("at"));
    assertTrue(paused.containsKey("by"), paused.encode());

    long first = enqueue(R, "t", "a", 1);
    call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", new JsonArray().add(job("b", 2)).add(job("c", 3))));
    assertEquals(0, claim(R, "t", 10).size(), "a claim after the pause takes nothing");
    JsonObject counts = stats(R, "t");
    assertEquals(3, counts.getLong("ready"), counts.encode());
    assertEquals(0, counts.getLong("running"), counts.encode());
    assertTrue(counts.getBoolean("paused"));
    assertFalse(alreadyWaiting.isComplete(), "the claim that was waiting keeps waiting");
    clock.advance(5_000);
    assertEquals(0, jobsOf(alreadyWaiting, 30).size(), "it got no job before its deadline");

    enqueue(R, "t-other", "elsewhere", 1);
    assertEquals(1, claim(R, "t-other", 1).size(), "other queues of the store are not paused");
    assertFalse(paused(R, "t-other"));

    call(R, "resume", one("t"));
    assertFalse(paused(R, "t"));
    JsonArray jobs = claim(R, "t", 10);
    assertEquals(3, jobs.size(), jobs.encode());
    assertEquals(first, jobs.getJsonObject(0).getLong("id"));
  }

  @Test
  void heldJobsCanBeExtendedFailedAndCompletedWhilePaused() throws Exception {
    startQueues();
    enqueue(R, "slow", "a", 1);
    enqueue(R, "slow", "b", 2);
    JsonArray held = claim(R, "slow", 2);
    assertEquals(2, held.size());
    call(R, "pause", one("slow"));
    JsonObject a = held.getJsonObject(0);
    JsonObject b = held.getJsonObject(1);
    assertTrue(call(R, "extend", held("slow", a).put("lease_ms", 10_000)).containsKey("visible_at"));
    assertEquals(1, complete(R, "slow", a).getInteger("completed"));
    call(R, "fail", held("slow", b).put("error", "later").put("retry_in_ms", 0));
    long c = enqueue(R, "slow", "c", 3);
    assertEquals(counts(2, 0, 0, 0, 1).put("paused", true), stats(R, "slow"));
    assertEquals(0, claim(R, "slow", 5).size());
    call(R, "resume", one("slow"));
    assertEquals(List.of(b.getLong("id"), c), ids(claim(R, "slow", 5)));
  }

  /**
   * A delay that ends on a paused queue makes its job ready, once: the due-time pass does not run
   * again and again for jobs that claims do not take.
   */
  @Test
  void dueTimesOfAPausedQueueAreWrittenOnce() throws Exception {
    startQueues();
    // The minute ends within the window looked at below, every run, so its rollup timer is always there.
    clock.advanceTo(Rollups.minuteOf(clock.now()) + 2 * Rollups.MINUTE_MS - 3_000);
    call(R, "pause", one("t"));
    long start = clock.now();
    call(R, "enqueue", enqueueBody("t", "later", 1).put("delay_ms", 500));
    Future<JsonObject> waitingClaim = waiting(local(), "t", 10_000);
    clock.awaitTimerAt(start + 501);
    clock.advance(501);
    assertEquals(counts(1, 0, 0, 0, 0).put("paused", true), stats(R, "t"));
    clock.advance(QueueChanges.INTERVAL_MS); // the change event of that pass goes out
    // The rollups' timer for the end of this minute (the enqueue was activity) fires a millisecond
    // after it, as every DueTimer does.
    assertEquals(0, clock.count(d -> d <= clock.now() + 9_000 && Math.floorMod(d - 1, Rollups.MINUTE_MS) != 0),
        "no timer left but the waiting claim's deadline and the minute's end: " + clock.dues());
    assertFalse(waitingClaim.isComplete());
    call(R, "resume", one("t"));
    assertEquals(1, jobsOf(waitingClaim, 1).size(), "the resume woke the waiting claim at once");
  }

  /**
   * Claims waiting on a paused queue are held in memory: enqueues notify them, yet they run no
   * claim and ask for no due time, so the store's transactions are the enqueues' alone.
   */
  @Test
  void claimsWaitingOnAPausedQueueCostTheDatabaseNothing() throws Exception {
    PiriServer server = startQueues();
    call(R, "pause", one("t"));
    List<Future<JsonObject>> waitingClaims = List.of(waitingForOne(local(), "t", 10_000), waitingForOne(local(), "t", 10_000));
    long before = server.database(R).transactions();
    for (int i = 0; i < 5; i++) enqueue(R, "t", "j", i);
    // A claim woken by an enqueue would run its attempt right after that enqueue's notification,
    // which is sent after the reply: a moment of real time lets a wrong wake-up show.
    Thread.sleep(300);
    assertEquals(before + 5, server.database(R).transactions(), "five enqueues and nothing else");
    waitingClaims.forEach(f -> assertFalse(f.isComplete()));
    call(R, "resume", one("t"));
    assertEquals(2, jobsOf(waitingClaims.get(0), 1).size() + jobsOf(waitingClaims.get(1), 1).size());
  }

  @Test
  void resumeWakesAWaitingClaimAtOnce() throws Exception {
    startQueues();
    call(R, "pause", one("t"));
    long id = enqueue(R, "t", "a", 1);
    Future<JsonObject> waitingClaim = waiting(local(), "t", 10_000);
    JsonObject resumed = call(R, "resume", one("t"));
    assertEquals(false, resumed.getBoolean("paused"));
    assertEquals(List.of(id), ids(jobsOf(waitingClaim, 1)), "answered within 1 s, the clock standing still");
  }

  @Test
  void aPauseSurvivesARestart() throws Exception {
    PiriServer server = startQueues();
    enqueue(R, "t", "a", 1);
    call(R, "pause", one("t"));
    stopServer(server);
    startQueues();
    assertTrue(paused(R, "t"));
    assertEquals(0, claim(R, "t", 1).size());
    Future<JsonObject> waitingClaim = waiting(local(), "t", 10_000);
    enqueue(R, "t", "b", 2);
    assertEquals(0, claim(R, "t", 1).size());
    assertFalse(waitingClaim.isComplete());
    call(R, "resume", one("t"));
    assertEquals(2, jobsOf(waitingClaim, 1).size());
  }

  @Test
  void allPausesAndResumesEveryQueueOfTheStore() throws Exception {
    startQueues();
    JsonArray queues = call(R, "pause", all()).getJsonArray("queues");
    assertEquals(List.of("replication", "slow", "t", "t-other"), queues.stream().map(o -> ((JsonObject) o).getString("queue")).toList());
    queues.forEach(o -> assertTrue(((JsonObject) o).getBoolean("paused")));
    for (String q : List.of("replication", "slow", "t", "t-other")) {
      enqueue(R, q, "j", 1);
      assertEquals(0, claim(R, q, 1).size(), q);
      assertTrue(paused(R, q), q);
    }
    enqueue(A, "aggregator", "j", 1);
    assertEquals(1, claim(A, "aggregator", 1).size(), "another store's queues are not paused");
    assertFalse(paused(A, "aggregator"));
    call(R, "resume", all()).getJsonArray("queues").forEach(o -> assertFalse(((JsonObject) o).getBoolean("paused")));
    for (String q : List.of("replication", "slow", "t", "t-other")) assertEquals(1, claim(R, q, 1).size(), q);
  }

  @Test
  void aPauseAgainKeepsWhenAndByWhomItWasFirstPaused() throws Exception {
    startQueues();
    JsonObject first = await(asOperator(R, "pause", one("t"), "otto"));
    clock.advance(1_000);
    JsonObject again = await(asOperator(R, "pause", one("t"), "ada"));
    assertEquals(first, again);
    assertEquals("otto", again.getString("by"));
    JsonObject resumed = await(asOperator(R, "resume", one("t"), "ada"));
    assertEquals(new JsonObject().put("queue", "t").put("paused", false).put("at", clock.now()).put("by", "ada"), resumed);
  }

  @Test
  void eachChangeWritesAnAuditRowWithItsActor() throws Exception {
    startQueues();
    await(asOperator(R, "pause", one("t"), "otto"));
    await(asOperator(R, "pause", one("t"), "otto"));
    clock.advance(10);
    await(asOperator(R, "resume", all(), "ada"));
    JsonArray rows = call(R, "audit-list", new JsonObject()).getJsonArray("rows");
    assertEquals(3, rows.size(), rows.encode());
    JsonObject resumeAll = rows.getJsonObject(0);
    assertEquals("resume", resumeAll.getString("action"));
    assertNull(resumeAll.getString("queue"));
    assertEquals("ada", resumeAll.getString("actor"));
    assertEquals(1, resumeAll.getLong("affected"), "one queue was paused");
    assertEquals(all(), resumeAll.getJsonObject("filter"));
    assertEquals(clock.now(), resumeAll.getLong("at"));
    JsonObject pauseAgain = rows.getJsonObject(1);
    assertEquals(0, pauseAgain.getLong("affected"), "already paused");
    JsonObject pause = rows.getJsonObject(2);
    assertEquals("pause", pause.getString("action"));
    assertEquals("t", pause.getString("queue"));
    assertEquals("otto", pause.getString("actor"));
    assertEquals("operator", pause.getString("actor_role"));
    assertEquals("console", pause.getString("via"));
    assertEquals(1, pause.getLong("affected"));
  }

  @Test
  void badRequestsAreRefusedAndChangeNothing() throws Exception {
    startQueues();
    JsonObject before = allStats();
    assertCode(400, callFails(R, "pause", new JsonObject()), "'queue'");
    assertCode(400, callFails(R, "pause", one("t").put("all", true)), "'queue'");
    assertCode(400, callFails(R, "resume", new JsonObject().put("all", false)), "'queue'");
    assertCode(400, callFails(R, "pause", one("nope")), "'queue'");
    assertCode(400, callFails(R, "pause", one("aggregator")), "'queue'");
    assertCode(400, callFails(R, "pause", new JsonObject().put("all", "yes")), "'all'");
    assertCode(400, callFails(R, "pause", one("t").put("ids", new JsonArray())), "'ids'");
    assertCode(400, callFails(R, "pause", new JsonObject().put("queue", 7)), "'queue'");
    assertEquals(before, allStats());
    assertEquals(0, call(R, "audit-list", new JsonObject()).getJsonArray("rows").size());
    enqueue(R, "t", "j", 1);
    assertEquals(1, claim(R, "t", 1).size());
  }

  /**
   * On PostgreSQL a pause and the claims of its queue are ordered by the queue's pause lock: a
   * pause waits for a claim under way (here a transaction holding the lock as a claim does), and a
   * claim that comes while a pause is being written waits for its commit and then sees it.
   */
  @Test
  void aPauseWaitsForTheClaimsUnderWayAndTheClaimsAfterItSeeIt() throws Exception {
    if (!postgres()) return;
    startQueues();
    enqueue(R, "t", "a", 1);
    try (Connection c = TestPostgres.connect(config.postgres().url()); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET search_path = " + R.id());
      s.execute("SELECT pg_advisory_xact_lock_shared(" + Pauses.lockKey("t") + ")");
      Future<JsonObject> pause = request(R, "pause", one("t"));
      Eventually.until("the pause waits for the lock", Duration.ofSeconds(30), () -> waitsForPauseLock(c, "t"));
      assertFalse(pause.isComplete(), "the pause waits for the claim under way");
      c.commit();
      assertTrue(await(pause).getBoolean("paused"));

      call(R, "resume", one("t"));
      s.execute("SELECT pg_advisory_xact_lock(" + Pauses.lockKey("t") + ")");
      s.execute("INSERT INTO queue_pause (queue, paused_at, paused_by) VALUES ('t', 0, 'elsewhere')");
      Future<JsonObject> claim = request(R, "claim", claimBody("t", 1));
      Eventually.until("the claim waits for the lock", Duration.ofSeconds(30), () -> waitsForPauseLock(c, "t"));
      assertFalse(claim.isComplete(), "the claim waits for the pause being written");
      c.commit();
      assertEquals(0, await(claim).getJsonArray("jobs").size(), "and then sees it");
      assertEquals(1, stats(R, "t").getLong("ready"));
    }
  }

  /** Some other session of this database waits for the pause lock of {@code queue}: PostgreSQL's own view of it. */
  private static boolean waitsForPauseLock(Connection c, String queue) throws Exception {
    long key = Pauses.lockKey(queue);
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
        + " AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        + " AND classid::bigint = " + (key >>> 32) + " AND objid::bigint = " + (key & 0xffffffffL) + " AND objsubid = 1")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  @Test
  void aPauseThroughOneInstanceHoldsOnAnother() throws Exception {
    if (!postgres()) return;
    startQueues();
    Bus second = startSecondInstance();
    Future<JsonObject> waitingThere = waitingForOne(second, "t", 10_000);
    call(R, "pause", one("t"));
    long id = enqueue(R, "t", "a", 1);
    await(second.send(R, "enqueue", enqueueBody("t", "b", 2)));
    assertEquals(0, await(second.send(R, "claim", claimBody("t", 5))).getJsonArray("jobs").size(),
        "a claim on the other instance after the pause takes nothing");
    assertTrue(await(second.send(R, "stats", one("t"))).getJsonObject("queues").getJsonObject("t").getBoolean("paused"));
    assertFalse(waitingThere.isComplete(), "the claim waiting there keeps waiting");
    Future<JsonObject> waitingLater = waitingForOne(second, "t", 10_000);

    call(R, "resume", one("t"));
    JsonArray got = new JsonArray();
    got.addAll(jobsOf(waitingThere, 1));
    got.addAll(jobsOf(waitingLater, 1));
    assertEquals(2, got.size(), "both claims waiting on the other instance woke within 1 s: " + got.encode());
    assertTrue(ids(got).contains(id));
  }

  /**
   * The pause costs a claim one look at queue_pause, made once per statement, and the claim
   * still walks the state index in due order: the database's own plan, after 2,000 jobs and fresh
   * statistics (PostgreSQL's generic plan, as the pool's prepared statement runs it).
   */
  @Test
  void aClaimStillWalksTheStateIndex() throws Exception {
    startQueues();
    JsonArray jobs = new JsonArray();
    for (int i = 0; i < 1_000; i++) jobs.add(job("j", i));
    call(R, "enqueue-batch", new JsonObject().put("queue", "t").put("jobs", jobs));
    call(R, "enqueue-batch", new JsonObject().put("queue", "t-other").put("jobs", jobs));
    call(R, "pause", one("t-other"));
    String claim = Statements.load(backend().type().id(), "queue").get("claim");
    String plan = String.join("\n", plan(claim, "('t', 0, 10, 0, 'ready')", "ANALYZE"));
    if (postgres()) {
      assertTrue(plan.matches("(?s).*Index Scan using job_state on job.*Index Cond: \\(\\(queue = \\$1\\).*"), plan);
      assertTrue(plan.contains("One-Time Filter: (NOT "), "the pause is checked once, before the walk:\n" + plan);
      assertFalse(plan.matches("(?s).*Seq Scan on job\\b.*"), plan);
    } else {
      assertTrue(plan.matches("(?s).*SEARCH job USING INDEX job_state \\(queue=\\? AND state=\\? AND run_at<\\?\\).*"), plan);
      assertTrue(plan.matches("(?s).*SEARCH queue_pause USING (COVERING )?INDEX sqlite_autoindex_queue_pause_1 \\(queue=\\?\\).*"), plan);
      assertFalse(plan.contains("SCAN job"), plan);
      assertFalse(plan.contains("CORRELATED"), "the pause is checked once:\n" + plan);
    }
  }
}
