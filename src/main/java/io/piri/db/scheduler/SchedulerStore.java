package io.piri.db.scheduler;

import io.piri.db.StoreId;
import io.piri.db.backend.Database;
import io.piri.db.backend.Statements;
import io.piri.db.bus.ActionRouter;
import io.piri.db.config.PiriConfig;
import io.piri.db.scheduler.pdp.PdpActions;
import io.piri.db.store.StoreVerticle;
import io.vertx.core.Future;

/**
 * The Scheduler store ({@code piri.db.scheduler}): Piri's task engine (sessions, tasks, history;
 * docs/task-engine.md) and its PDP proving state (io.piri.db.scheduler.pdp, docs/pdp-state.md).
 */
public final class SchedulerStore extends StoreVerticle {
  private ClaimWaiters waiters;
  private TaskEvents events;
  private HistoryPruner pruner;
  private PdpActions pdp;

  public SchedulerStore(PiriConfig config, Database db) {
    super(StoreId.SCHEDULER, config, db);
  }

  @Override
  protected void actions(ActionRouter router) {
    Statements sql = db.sql("task");
    TaskTypes types = new TaskTypes(config.taskTypes());
    waiters = new ClaimWaiters(vertx);
    events = new TaskEvents(vertx, db, sql, waiters);
    pruner = new HistoryPruner(vertx, db, sql, config.historyRetention());
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
    pdp = PdpActions.register(router, vertx, db, new TaskCreator(sql, types, events), config.messageRetention());
  }

  @Override
  public Future<?> start() {
    return super.start().onSuccess(v -> {
      events.start();
      pruner.start();
      pdp.start();
    });
  }

  /** Waiting claims are answered at once (an empty list) and the timers stop; the base then drains. */
  @Override
  protected void stopping() {
    if (waiters != null) waiters.stop();
    if (events != null) events.stop();
    if (pruner != null) pruner.stop();
    if (pdp != null) pdp.stop();
  }
}
