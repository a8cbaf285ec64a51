package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.core.Clock;
import io.piri.db.scheduler.SchedulerChanges;
import io.piri.db.scheduler.TaskCreator;
import io.piri.db.scheduler.TaskObserver;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * The PDP proving state of the Scheduler store (docs/pdp-state.md): the action groups of each
 * kind of row, the proof sets' timeline, and the message pruner. What its writes change is
 * announced after they commit ({@link SchedulerChanges}).
 */
public final class PdpActions implements ActionGroup {
  private final Sql sql;
  private final TaskCreator tasks;
  private final MessagePruner pruner;
  private final Timeline timeline;
  private final Clock clock;

  public PdpActions(Clock clock, Database db, TaskCreator tasks, Duration messageRetention, SchedulerChanges changes) {
    this.clock = clock;
    this.sql = new Sql(db, changes);
    this.tasks = tasks;
    this.timeline = new Timeline(sql, clock);
    this.pruner = new MessagePruner(clock, sql, messageRetention);
  }

  /** Records in their proof set's timeline how the tasks a proof set holds end. */
  public TaskObserver taskObserver() {
    return new ProofSetTasks(sql, timeline);
  }

  @Override
  public void register(ActionRouter router) {
    Messages messages = new Messages(sql, tasks, clock, timeline);
    ProofSets proofSets = new ProofSets(sql, messages, clock, timeline);
    messages.register(router);
    proofSets.register(router);
    timeline.register(router);
    new ProvingSchedule(sql, tasks, messages, proofSets, timeline).register(router);
    new Roots(sql, messages, proofSets, clock, timeline).register(router);
    new Pieces(sql, clock).register(router);
    new Providers(sql, messages, clock).register(router);
    new Payments(sql, messages, clock).register(router);
  }

  @Override
  public Future<Void> start() {
    pruner.start();
    return Future.succeededFuture();
  }

  @Override
  public void stopping() {
    pruner.stop();
  }
}
