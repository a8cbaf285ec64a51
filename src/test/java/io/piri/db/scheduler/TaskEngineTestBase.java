package io.piri.db.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.core.StoreId;
import io.piri.db.config.BackendType;
import io.piri.db.support.TestBackend;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import io.piri.db.config.ConfigLoader;
import io.piri.db.config.PiriConfig;
import io.piri.db.server.PiriServer;
import io.piri.db.support.ServerTestBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    PiriConfig c = ConfigLoader.fromJson(new JsonObject().put("scheduler", scheduler()), Map.of());
    return c.with(config.dataDir(), config.backend(), config.postgres().url()).withBridgePort(config.bridgePort());
  }

  private Vertx secondVertx;
  private PiriServer secondServer;

  /**
   * A second node on the same PostgreSQL (its own data_dir, bridge port and Vertx, so that both
   * serve piri.db.scheduler on their own bus); returns that Vertx. Only for PostgreSQL.
   */
  protected Vertx startSecondInstance() throws Exception {
    assertEquals(BackendType.POSTGRES, config.backend(), "a second instance needs PostgreSQL");
    PiriConfig cfg = engineConfig().with(tmp.resolve("data2"), BackendType.POSTGRES, config.postgres().url())
        .withBridgePort(TestBackend.freePort());
    secondVertx = Vertx.vertx();
    secondServer = PiriServer.start(secondVertx, cfg, serverClock(secondVertx)).await(60, TimeUnit.SECONDS);
    return secondVertx;
  }

  @AfterEach
  void stopSecondInstance() throws Exception {
    if (secondServer != null) secondServer.stop().await(20, TimeUnit.SECONDS);
    if (secondVertx != null) secondVertx.close().await(20, TimeUnit.SECONDS);
    secondServer = null;
    secondVertx = null;
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
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(40_000).addHeader("action", action);
    return v.eventBus().<JsonObject>request(S.address(), body, opts).map(m -> m.body());
  }
}
