package io.piri.db.scheduler;

import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.config.PiriConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Piri's task engine as actions of the Scheduler store: sessions, tasks, history
 * (docs/task-engine.md). Other engines of the store add tasks in their own transactions through
 * {@link #creator()}.
 */
public final class TaskService implements ActionGroup {
  private final Database db;
  private final Statements sql;
  private final TaskTypes types;
  private final ClaimWaiters waiters;
  private final TaskEvents events;
  private final HistoryPruner pruner;

  public TaskService(Vertx vertx, PiriConfig config, Database db) {
    this.db = db;
    this.sql = db.sql("task");
    this.types = new TaskTypes(config.taskTypes());
    this.waiters = new ClaimWaiters(vertx);
    this.events = new TaskEvents(vertx, db, sql, waiters);
    this.pruner = new HistoryPruner(vertx, db, sql, config.historyRetention());
  }

  /** Adds tasks inside another engine's transaction. */
  public TaskCreator creator() {
    return new TaskCreator(sql, types, events);
  }

  @Override
  public void register(ActionRouter router) {
    SessionActions sessions = new SessionActions(db, sql, events, waiters);
    TaskAdd add = new TaskAdd(db, sql, types, events);
    TaskClaim claim = new TaskClaim(types, new ClaimQuery(db, sql, types), waiters);
    TaskCompletion completion = new TaskCompletion(db, sql, types, events);
    TaskQueries queries = new TaskQueries(db, sql, types);
    router.on("session-open", sessions::open)
        .on("session-heartbeat", sessions::heartbeat)
        .on("session-close", sessions::close)
        .on("task-add", add::handle)
        .on("task-claim", claim::handle)
        .on("task-complete", req -> completion.handle(req)
            .onSuccess(r -> pruner.recorded(System.currentTimeMillis())))
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
    waiters.stop();
    events.stop();
    pruner.stop();
  }
}
