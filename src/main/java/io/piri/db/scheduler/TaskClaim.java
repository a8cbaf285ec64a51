package io.piri.db.scheduler;

import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.core.WaitLimits;
import io.piri.db.core.Waiters;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code task-claim}: claims runnable tasks for a live session; with {@code wait_ms}, a claim that
 * finds nothing waits (without polling) until a task of one of its types may be runnable, or its
 * session closes, then tries again.
 */
record TaskClaim(TaskTypes types, ClaimQuery query, Waiters waiters) {
  static final int MAX_NAMES = 64;
  private static final Set<String> FIELDS = Set.of("session", "names", "max", "wait_ms");

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
    long waitMs = req.optLong("wait_ms", 0, WaitLimits.MAX_CLAIM_WAIT_MS, 0);
    List<String> ordered = new ArrayList<>(names);
    // Due times of tasks are announced (TaskEvents), so a waiting claim asks the database nothing.
    return waiters.claim(names, session, waitMs, () -> query.run(session, ordered, max), null)
        .map(TaskClaim::tasks);
  }

  private static JsonObject tasks(List<JsonObject> claimed) {
    return new JsonObject().put("tasks", new JsonArray(new ArrayList<>(claimed)));
  }
}
