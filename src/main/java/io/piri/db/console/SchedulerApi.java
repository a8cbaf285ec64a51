package io.piri.db.console;

import io.piri.db.core.StoreId;
import io.piri.db.config.TaskTypeConfig;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The Scheduler's task engine: tasks by type and state, the history, the sessions. */
final class SchedulerApi {
  private final StoreCalls stores;
  private final Map<String, TaskTypeConfig> types;

  SchedulerApi(StoreCalls stores, Map<String, TaskTypeConfig> types) {
    this.stores = stores;
    this.types = types;
  }

  void register(RouteTable t) {
    t.operation(Operations.TASK_STATS, "tasks per type: runnable, waiting, running, and the type's settings", Api.json(ctx -> tasks()));
    t.operation(Operations.TASK_HISTORY, "task history by id: name, task_id, limit, after", Api.json(this::history));
    t.operation(Operations.SESSION_LIST, "task-engine sessions with their heartbeat age: limit, after", Api.json(this::sessions));
  }

  Future<JsonObject> tasks() {
    return stores.call(StoreId.SCHEDULER, Operations.TASK_STATS.action(), new JsonObject()).map(stats -> {
      JsonObject out = new JsonObject();
      stats.forEach(e -> {
        JsonObject row = ((JsonObject) e.getValue()).copy();
        TaskTypeConfig c = types.get(e.getKey());
        if (c != null) {
          row.put("max_failures", c.maxFailures()).put("retry_wait_ms", c.retryWait().toMillis()).put("max_running", c.maxRunning());
        }
        out.put(e.getKey(), row);
      });
      return new JsonObject().put("types", out);
    });
  }

  private Future<JsonObject> history(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("limit", Api.limit(ctx, 50));
    Long after = Api.optId(ctx, "after");
    if (after != null) body.put("after_id", after);
    Long taskId = Api.optId(ctx, "task_id");
    if (taskId != null) body.put("task_id", taskId);
    String name = ctx.request().getParam("name");
    if (name != null && !name.isEmpty()) body.put("name", name);
    return stores.call(StoreId.SCHEDULER, Operations.TASK_HISTORY.action(), body).map(r -> {
      Object next = r.getValue("next_after_id");
      return new JsonObject().put("rows", r.getJsonArray("rows")).put("next", next == null ? null : String.valueOf(next));
    });
  }

  private Future<JsonObject> sessions(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("limit", Api.limit(ctx, 100));
    String after = ctx.request().getParam("after");
    if (after != null) body.put("after", after);
    long now = System.currentTimeMillis();
    return stores.call(StoreId.SCHEDULER, Operations.SESSION_LIST.action(), body).map(r -> {
      r.getJsonArray("sessions").forEach(o -> {
        JsonObject s = (JsonObject) o;
        Long beat = s.getLong("heartbeat_at");
        if (beat != null) s.put("heartbeat_age_ms", Math.max(0, now - beat));
      });
      return r;
    });
  }
}
