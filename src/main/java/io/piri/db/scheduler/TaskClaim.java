package io.piri.db.scheduler;

import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code task-claim}: claims runnable tasks for a live session; with {@code wait_ms}, a claim that
 * finds nothing waits (without polling) until a task may be runnable, then tries again.
 */
final class TaskClaim {
  static final int MAX_NAMES = 64;
  private static final Set<String> FIELDS = Set.of("session", "names", "max", "wait_ms");

  private final TaskTypes types;
  private final ClaimQuery query;
  private final ClaimWaiters waiters;

  TaskClaim(TaskTypes types, ClaimQuery query, ClaimWaiters waiters) {
    this.types = types;
    this.query = query;
    this.waiters = waiters;
  }

  private record Spec(String session, List<String> names, int max, long deadline) {}

  Future<JsonObject> handle(Request req) {
    req.only(FIELDS);
    String session = req.string("session");
    JsonArray list = req.array("names", MAX_NAMES);
    if (list.isEmpty()) throw BusException.invalid("field 'names' must list at least one task type");
    Set<String> names = new LinkedHashSet<>();
    for (Object n : list) {
      if (!(n instanceof String s)) throw BusException.invalid("field 'names' must be an array of strings");
      types.require("names", s);
      names.add(s);
    }
    int max = req.optInt("max", 1, 1000, 1);
    long waitMs = req.optLong("wait_ms", 0, 30_000, 0);
    Spec spec = new Spec(session, new ArrayList<>(names), max, System.currentTimeMillis() + waitMs);
    Promise<JsonObject> reply = Promise.promise();
    attempt(spec, reply);
    return reply.future();
  }

  private void attempt(Spec spec, Promise<JsonObject> reply) {
    long seen = waiters.seq();
    query.run(spec.session, spec.names, spec.max).onComplete(ar -> {
      if (ar.failed()) {
        reply.tryFail(ar.cause());
      } else if (!ar.result().isEmpty() || System.currentTimeMillis() >= spec.deadline || waiters.stopped()) {
        reply.tryComplete(tasks(ar.result()));
      } else if (waiters.seq() != seen) {
        attempt(spec, reply);
      } else {
        waiters.park(spec.session, Set.copyOf(spec.names), spec.deadline,
            () -> attempt(spec, reply), () -> reply.tryComplete(tasks(List.of())));
      }
    });
  }

  private static JsonObject tasks(List<JsonObject> claimed) {
    return new JsonObject().put("tasks", new JsonArray(new ArrayList<>(claimed)));
  }
}
