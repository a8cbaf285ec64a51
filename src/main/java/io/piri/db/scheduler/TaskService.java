package io.piri.db.scheduler;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.Waiters;
import io.vertx.core.Future;

/**
 * Piri's task engine as actions of the Scheduler store: sessions, tasks, history
 * (docs/task-engine.md). Other engines of the store add tasks in their own transactions through
 * {@link #creator()}, and follow how tasks end through {@link #observe}. Commits that change the
 * task counts are announced as change events ({@link SchedulerChanges}).
 */
public final class TaskService implements ActionGroup {
  private final Database db;
  private final Statements sql;
  private final TaskTypes types;
  private final Clock clock;
  private final Waiters waiters;
  private final TaskEvents events;
  private final HistoryPruner pruner;
  private final SchedulerChanges changes;
  private TaskObserver observer = TaskObserver.NONE;

  public TaskService(Clock clock, PiriConfig config, Database db, SchedulerChanges changes) {
    this.clock = clock;
    this.db = db;
    this.sql = db.sql("task");
    this.types = new TaskTypes(config.taskTypes());
    this.waiters = new Waiters(clock);
    this.changes = changes;
    this.events = new TaskEvents(clock, db, sql, waiters, changes);
    this.pruner = new HistoryPruner(clock, db, sql, config.historyRetention());
  }

  /** Tells {@code observer} how each task ends, inside task-complete's transaction; call before the store starts. */
  public void observe(TaskObserver observer) {
    this.observer = observer;
  }

  /** Adds tasks inside another engine's transaction. */
  public TaskCreator creator() {
    return new TaskCreator(sql, types, events, clock);
  }

  @Override
  public void register(ActionRouter router) {
    SessionActions sessions = new SessionActions(db, sql, events, waiters, clock);
    TaskAdd add = new TaskAdd(db, sql, types, events, clock);
    TaskClaim claim = new TaskClaim(types, new ClaimQuery(db, sql, types, clock), waiters);
    TaskCompletion completion = new TaskCompletion(db, sql, types, events, clock, changes, observer);
    TaskQueries queries = new TaskQueries(db, sql, types, clock);
    router.on("session-open", sessions::open)
        .on("session-heartbeat", sessions::heartbeat)
        .on("session-close", req -> sessions.close(req).onSuccess(r -> {
          if (r.getLong("released") > 0) changes.tasks();
        }))
        .on("session-list", sessions::list)
        .on("task-add", req -> add.handle(req).onSuccess(r -> {
          if (!r.getBoolean("duplicate")) changes.tasks();
        }))
        .on("task-claim", req -> claim.handle(req).onSuccess(r -> {
          if (!r.getJsonArray("tasks").isEmpty()) changes.tasks();
        }))
        .on("task-complete", req -> completion.handle(req)
            .onSuccess(r -> pruner.recorded(clock.now())))
        .on("task-history", queries::history)
        .on("task-stats", queries::stats);
  }

  @Override
  public Future<Void> start() {
    events.start();
    pruner.start();
    return Future.succeededFuture();
  }

  /** Waiting claims are answered at once (an empty list) and the timers stop. */
  @Override
  public void stopping() {
    waiters.close();
    events.stop();
    pruner.stop();
  }
}
