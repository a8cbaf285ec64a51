package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.config.PiriConfig;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Shared helpers of the task-engine suites: a node with test task types next to Piri's built-in
 * ones, and one-line calls of the scheduler's actions.
 * <ul>
 *   <li>{@code Quick}: max_failures 3, retry_wait 200ms;
 *   <li>{@code Forever}: max_failures 0, retry_wait 100ms;
 *   <li>{@code NoWait}: no retry_wait (the default backoff), max_failures 0;
 *   <li>{@code Limited}: max_running 2, retry_wait 100ms.
 * </ul>
 */
public abstract class TaskEngineTestBase extends ServerTestBase {
  protected static final StoreId S = StoreId.SCHEDULER;

  protected JsonObject scheduler() {
    return new JsonObject().put("task_types", new JsonObject()
        .put("Quick", new JsonObject().put("max_failures", 3).put("retry_wait", "200ms"))
        .put("Forever", new JsonObject().put("max_failures", 0).put("retry_wait", "100ms"))
        .put("NoWait", new JsonObject())
        .put("Limited", new JsonObject().put("max_running", 2).put("retry_wait", "100ms")));
  }

  /** This test's node configuration with {@link #scheduler()} as its scheduler section. */
  protected PiriConfig engineConfig() {
    return thisNodeWith(new JsonObject().put("scheduler", scheduler()));
  }

  /** A second node on the same PostgreSQL ({@link #startSecondNode}); returns its Vertx. Only for PostgreSQL. */
  protected Vertx startSecondInstance() throws Exception {
    return startSecondNode(engineConfig());
  }

  protected PiriServer startEngine() throws Exception {
    return startServer(engineConfig());
  }

  protected String openSession(long ttlMs) throws Exception {
    return call(S, "session-open", new JsonObject().put("ttl_ms", ttlMs)).getString("session");
  }

  protected long add(String name) throws Exception {
    JsonObject r = call(S, "task-add", new JsonObject().put("name", name));
    assertEquals(false, r.getBoolean("duplicate"));
    return r.getLong("id");
  }

  /** A task and the session that holds it. */
  protected record Held(long id, String session) {}

  /** Adds a task of type {@code name} and claims it with a new session. */
  protected Held addAndClaim(String name) throws Exception {
    long id = add(name);
    String s = openSession(30_000);
    assertEquals(id, claimOne(s, name).getLong("id"));
    return new Held(id, s);
  }

  /** Claims, without waiting, the one runnable task of type {@code name}. */
  protected JsonObject claimOne(String session, String name) throws Exception {
    JsonArray got = claim(session, name, 1, 0);
    assertEquals(1, got.size(), "one runnable " + name + ": " + got.encode());
    return got.getJsonObject(0);
  }

  protected List<Long> addMany(String name, int n) throws Exception {
    List<Future<JsonObject>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) fs.add(request(S, "task-add", new JsonObject().put("name", name)));
    List<Long> ids = new ArrayList<>();
    for (Future<JsonObject> f : fs) ids.add(await(f).getLong("id"));
    return ids;
  }

  protected JsonArray claim(String session, String name, int max, long waitMs) throws Exception {
    return call(S, "task-claim", claimBody(session, name, max, waitMs)).getJsonArray("tasks");
  }

  /**
   * Sends a task-claim with {@code waitMs} and returns once it waits in the store: when its
   * deadline timer is set (the clock does not move meanwhile, so the deadline is now + waitMs).
   */
  protected Future<JsonObject> waitingClaim(String session, String name, int max, long waitMs) throws Exception {
    long deadline = clock.now() + waitMs;
    int before = clock.count(d -> d == deadline);
    Future<JsonObject> f = request(S, "task-claim", claimBody(session, name, max, waitMs));
    clock.awaitTimers(d -> d == deadline, before + 1);
    return f;
  }

  protected static JsonObject claimBody(String session, String name, int max, long waitMs) {
    return new JsonObject().put("session", session).put("names", new JsonArray().add(name))
        .put("max", max).put("wait_ms", waitMs);
  }

  protected JsonObject complete(long id, String session, String outcome, String error) throws Exception {
    return call(S, "task-complete", completeBody(id, session, outcome, error));
  }

  protected static JsonObject completeBody(long id, String session, String outcome, String error) {
    long now = System.currentTimeMillis();
    JsonObject b = new JsonObject().put("id", id).put("session", session).put("outcome", outcome)
        .put("work_start", now - 5).put("work_end", now);
    if (error != null) b.put("error", error);
    return b;
  }

  protected JsonArray history(JsonObject filter) throws Exception {
    return call(S, "task-history", filter).getJsonArray("rows");
  }

  protected JsonObject stats(String name) throws Exception {
    return call(S, "task-stats", null).getJsonObject(name);
  }

  protected static void assertCode(int code, ReplyException e, String field) {
    assertEquals(code, e.failureCode(), e.getMessage());
    if (field != null) assertTrue(e.getMessage().contains("'" + field + "'"), "names " + field + ": " + e.getMessage());
  }

  /** A request on another Vertx's event bus (a second instance's). */
  protected static Future<JsonObject> requestOn(Vertx v, String action, JsonObject body) {
    return request(v, S, action, body);
  }

  /** Sends a scheduler request through one node: an action and its body. */
  protected interface Bus extends BiFunction<String, JsonObject, Future<JsonObject>> {}

  /** The scheduler of this test's node and, on PostgreSQL, of a second node on the same database. */
  protected List<Bus> schedulerNodes() throws Exception {
    List<Bus> nodes = new ArrayList<>();
    nodes.add((action, body) -> request(S, action, body));
    if (backend().type() == BackendType.POSTGRES) {
      Vertx second = startSecondInstance();
      nodes.add((action, body) -> requestOn(second, action, body));
    }
    return nodes;
  }
}
