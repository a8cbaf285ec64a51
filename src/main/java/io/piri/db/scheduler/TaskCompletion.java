package io.piri.db.scheduler;

import io.piri.db.core.Clock;
import io.piri.db.backend.Database;
import io.piri.db.backend.Row;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.piri.db.config.TaskTypeConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * {@code task-complete}: the outcome of one run, from the session that holds the task, applied to
 * {@code task} and recorded in {@code task_history} in one transaction (items 19-24, fixes D2, D3):
 * <ul>
 *   <li>{@code done}: the task is deleted ({@code state: deleted});
 *   <li>{@code failed}: dropped (deleted) once {@code retries} has reached {@code max_failures}
 *       (0 = never), else {@code retries + 1} and runnable after the retry wait;
 *   <li>{@code deferred}: {@code retries} unchanged, runnable after the retry wait.
 * </ul>
 * The store's {@link TaskObserver} learns the outcome in the same transaction.
 */
record TaskCompletion(Database db, Statements sql, TaskTypes types, TaskEvents events, Clock clock, SchedulerChanges changes,
                 TaskObserver observer) {
  static final int MAX_ERROR = 65_536;
  private static final Set<String> FIELDS = Set.of("id", "session", "outcome", "error", "work_start", "work_end");

  private record Report(long id, String session, String outcome, String error, long workStart, long workEnd) {}

  Future<JsonObject> handle(Request req) {
    req.only(FIELDS);
    long id = req.id("id", 1, Long.MAX_VALUE);
    String session = req.string("session");
    String outcome = req.string("outcome");
    if (!outcome.equals("done") && !outcome.equals("failed") && !outcome.equals("deferred")) {
      throw BusException.invalid("field 'outcome' must be done, failed or deferred, got '" + outcome + "'");
    }
    String error = req.optString("error");
    if (error != null && error.length() > MAX_ERROR) throw BusException.invalid("field 'error' must be at most " + MAX_ERROR + " characters");
    long start = req.longValue("work_start", 0, Long.MAX_VALUE);
    long end = req.longValue("work_end", 0, Long.MAX_VALUE);
    if (end < start) throw BusException.invalid("field 'work_end' must not be before work_start");
    Report report = new Report(id, session, outcome, error, start, end);
    return changes.write(db, (c, touched) -> complete(c, touched, report));
  }

  private Future<JsonObject> complete(Tx c, SchedulerChanges.Touched touched, Report rep) {
    return c.run(sql.get("session-get"), rep.session)
        .compose(rows -> {
          if (rows.first() == null) return Future.failedFuture(SessionActions.notFound(rep.session));
          return c.run(sql.get("task-for-complete"), rep.id);
        })
        .compose(rows -> {
          Row task = rows.first();
          if (task == null) return Future.failedFuture(BusException.notFound("field 'id': task " + rep.id + " not found"));
          if (!rep.session.equals(task.string("session_id"))) {
            return Future.failedFuture(BusException.conflict("field 'id': task " + rep.id + " is not held by session '" + rep.session + "'"));
          }
          touched.tasks();
          return observer.before(c, rep.id, task.string("name")).compose(after -> apply(c, rep, task).compose(reply -> after == null
              ? Future.succeededFuture(reply)
              : after.after(c, touched, new TaskObserver.Ended(rep.id, task.string("name"), rep.outcome, reply.getString("state"),
                  rep.error)).map(reply)));
        });
  }

  private Future<JsonObject> apply(Tx c, Report rep, Row task) {
    long now = clock.now();
    String name = task.string("name");
    TaskTypeConfig type = types.settings(name);
    long retries = task.longValue("retries");
    long deferrals = task.longValue("deferrals");
    boolean done = rep.outcome.equals("done");
    boolean failed = rep.outcome.equals("failed");
    boolean drop = failed && type.maxFailures() > 0 && retries >= type.maxFailures();
    JsonObject reply = new JsonObject();
    Future<?> change;
    if (done || drop) {
      reply.put("state", done ? "deleted" : "dropped");
      change = c.run(sql.get("task-delete"), rep.id);
    } else {
      long newRetries = failed ? retries + 1 : retries;
      long newDeferrals = failed ? deferrals : deferrals + 1;
      long runnableAt = now + RetryPolicy.waitMs(type, newRetries + newDeferrals);
      reply.put("state", "requeued").put("runnable_at", runnableAt);
      change = c.run(sql.get("task-requeue"), newRetries, newDeferrals, now, runnableAt, rep.id)
          .compose(r -> events.runnableAt(c, name, runnableAt));
    }
    return change.compose(r -> c.run(sql.get("history-insert"), rep.id, name, task.longValue("posted_time"), rep.workStart,
            rep.workEnd, done, historyError(rep.outcome, rep.error), rep.session, rep.outcome, reply.getString("state"), now))
        .map(r -> reply);
  }

  /** Piri's task_history.err texts (items 19-21, 24); '' when there is nothing to say. */
  static String historyError(String outcome, String error) {
    boolean has = error != null && !error.isEmpty();
    switch (outcome) {
      case "done":
        return has ? "non-failing error: " + error : "";
      case "failed":
        return has ? "error: " + error : "";
      default:
        return has ? "deferred: " + error : "deferred";
    }
  }
}
