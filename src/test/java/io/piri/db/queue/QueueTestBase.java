package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.backend.postgres.PostgresDatabase;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shared helpers of the job-queue conformance suites: a node with short-lease test queues next to
 * Piri's five built-in ones, and one-line calls of the queue actions.
 * <ul>
 *   <li>{@code t} (replicator): lease 300ms, max_attempts 2, backoff 50ms..100ms;
 *   <li>{@code t-other} (replicator): like {@code t}, for isolation checks;
 *   <li>{@code slow} (replicator): lease 300ms, max_attempts 5, backoff 400ms..1s;
 *   <li>{@code once} (egress_tracker): lease 300ms, max_attempts 1;
 *   <li>{@code dd} (aggregator): dedupe on, block_repeats_on_dead on, lease 300ms, max_attempts 2.
 * </ul>
 */
public abstract class QueueTestBase extends ServerTestBase {
  protected static final StoreId R = StoreId.REPLICATOR;
  protected static final StoreId A = StoreId.AGGREGATOR;
  protected static final StoreId E = StoreId.EGRESS_TRACKER;

  /** Sends one request to a store of one instance. */
  protected interface Bus {
    Future<JsonObject> send(StoreId store, String action, JsonObject body);
  }

  protected JsonObject testQueues() {
    return new JsonObject()
        .put("t", queue("replicator", "300ms", 2).put("backoff_base", "50ms").put("backoff_max", "100ms"))
        .put("t-other", queue("replicator", "300ms", 2).put("backoff_base", "50ms").put("backoff_max", "100ms"))
        .put("slow", queue("replicator", "300ms", 5).put("backoff_base", "400ms").put("backoff_max", "1s"))
        .put("once", queue("egress_tracker", "300ms", 1))
        .put("dd", queue("aggregator", "300ms", 2).put("dedupe", true).put("block_repeats_on_dead", true)
            .put("backoff_base", "50ms").put("backoff_max", "100ms"));
  }

  protected static JsonObject queue(String store, String lease, int maxAttempts) {
    return new JsonObject().put("store", store).put("lease", lease).put("max_attempts", maxAttempts);
  }

  /** This test's node (its data_dir, database and port) with {@link #testQueues()} added. */
  protected PiriConfig queueConfig() {
    return thisNodeWith(new JsonObject().put("queues", testQueues()));
  }

  protected PiriServer startQueues() throws Exception {
    return startServer(queueConfig());
  }

  /** The bus of the first instance. */
  protected Bus local() {
    return this::request;
  }

  /** The bus of a second node on the same PostgreSQL ({@link #startSecondNode}). Only for PostgreSQL. */
  protected Bus startSecondInstance() throws Exception {
    Vertx v = startSecondNode(queueConfig());
    return (store, action, body) -> request(v, store, action, body);
  }

  protected boolean postgres() {
    return backend().type() == BackendType.POSTGRES;
  }

  /**
   * The database's own plan of {@code sql} on the replicator store: SQLite's {@code EXPLAIN QUERY
   * PLAN}; on PostgreSQL, in a session with the pools' settings, the generic plan (unless
   * {@code postgresSettings} choose otherwise) of {@code sql} prepared and executed with
   * {@code postgresArgs}, as the pools' prepared statements run it.
   */
  protected List<String> plan(String sql, String postgresArgs, String... postgresSettings) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Connection c = backend().connect(config, R); Statement s = c.createStatement()) {
      if (postgres()) {
        for (Map.Entry<String, String> setting : PostgresDatabase.SESSION_SETTINGS.entrySet()) {
          s.execute("SET " + setting.getKey() + " = " + setting.getValue());
        }
        s.execute("SET plan_cache_mode = force_generic_plan");
        for (String setting : postgresSettings) s.execute(setting);
        s.execute("PREPARE planned AS " + sql);
        try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE planned" + postgresArgs)) {
          while (rs.next()) lines.add(rs.getString(1));
        }
      } else {
        try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
          while (rs.next()) lines.add(rs.getString("detail"));
        }
      }
    }
    return lines;
  }

  // ---- request bodies ----

  protected static JsonObject job(String name, Object payload) {
    return new JsonObject().put("name", name).put("payload", payload);
  }

  protected static JsonObject enqueueBody(String queue, String name, Object payload) {
    return job(name, payload).put("queue", queue);
  }

  protected static JsonObject claimBody(String queue, int max) {
    return new JsonObject().put("queue", queue).put("max", max);
  }

  protected static JsonObject held(String queue, JsonObject claimed) {
    return new JsonObject().put("queue", queue).put("id", claimed.getLong("id")).put("receipt", claimed.getString("receipt"));
  }

  // ---- calls ----

  /** Enqueues one JSON job that must not be a duplicate; returns its id. */
  protected long enqueue(StoreId store, String queue, String name, Object payload) throws Exception {
    JsonObject r = call(store, "enqueue", enqueueBody(queue, name, payload));
    assertEquals(false, r.getBoolean("duplicate"), r.encode());
    return r.getLong("id");
  }

  protected JsonArray claim(StoreId store, String queue, int max) throws Exception {
    return call(store, "claim", claimBody(queue, max)).getJsonArray("jobs");
  }

  /** Enqueues a job of each name (payloads 1, 2, ...) and claims them all at once; returns them in that order. */
  protected JsonArray claimedTogether(StoreId store, String queue, String... names) throws Exception {
    for (int i = 0; i < names.length; i++) enqueue(store, queue, names[i], i + 1);
    JsonArray jobs = claim(store, queue, names.length);
    assertEquals(names.length, jobs.size(), jobs.encode());
    return jobs;
  }

  /** Claims exactly one job and returns it. */
  protected JsonObject claimOne(StoreId store, String queue) throws Exception {
    JsonArray jobs = claim(store, queue, 1);
    assertEquals(1, jobs.size(), "one job claimed from " + queue + ": " + jobs.encode());
    return jobs.getJsonObject(0);
  }

  protected JsonObject complete(StoreId store, String queue, JsonObject claimed) throws Exception {
    return call(store, "complete", held(queue, claimed));
  }

  protected JsonObject fail(StoreId store, String queue, JsonObject claimed, String error) throws Exception {
    return call(store, "fail", held(queue, claimed).put("error", error));
  }

  /** The counts of one queue: ready, scheduled, running, dead, done. */
  protected JsonObject stats(StoreId store, String queue) throws Exception {
    return call(store, "stats", new JsonObject().put("queue", queue)).getJsonObject("queues").getJsonObject(queue);
  }

  /** Every queue's counts of every queue store, for "nothing changed" checks. */
  protected JsonObject allStats() throws Exception {
    JsonObject all = new JsonObject();
    for (StoreId s : List.of(R, A, E)) {
      JsonObject q = call(s, "stats", null).getJsonObject("queues");
      all.put(s.id(), q);
    }
    return all;
  }

  protected JsonArray deadList(StoreId store, String queue) throws Exception {
    return call(store, "dead-list", new JsonObject().put("queue", queue).put("limit", 1000)).getJsonArray("jobs");
  }

  /** A queue's stats: its counts, and not paused. */
  protected static JsonObject counts(long ready, long scheduled, long running, long dead, long done) {
    return new JsonObject().put("ready", ready).put("scheduled", scheduled).put("running", running)
        .put("dead", dead).put("done", done).put("paused", false);
  }

  protected static List<Long> ids(JsonArray jobs) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) out.add(jobs.getJsonObject(i).getLong("id"));
    return out;
  }

  /**
   * Sends a claim with {@code wait_ms} and returns once it waits in the store: when its deadline
   * timer is set (the clock does not move meanwhile, so the deadline is now + wait_ms).
   */
  protected Future<JsonObject> waitingClaim(Bus bus, StoreId store, JsonObject body) throws Exception {
    long deadline = clock.now() + body.getLong("wait_ms");
    int before = clock.count(d -> d == deadline);
    Future<JsonObject> f = bus.send(store, "claim", body);
    clock.awaitTimers(d -> d == deadline, before + 1);
    return f;
  }

  /** Asserts a failure code, the error word of the protocol, and that the text names the field. */
  protected static void assertCode(int code, ReplyException e, String field) {
    assertEquals(code, e.failureCode(), e.getMessage());
    String word = switch (code) {
      case 400 -> "invalid_argument: ";
      case 404 -> "not_found: ";
      case 409 -> "conflict: ";
      case 503 -> "unavailable: ";
      default -> "";
    };
    assertTrue(e.getMessage().startsWith(word), "starts with " + word + ": " + e.getMessage());
    if (field != null) assertTrue(e.getMessage().contains(field), "names " + field + ": " + e.getMessage());
  }
}
