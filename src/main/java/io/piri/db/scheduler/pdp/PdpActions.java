package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.core.Clock;
import io.piri.db.scheduler.TaskCreator;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * The PDP proving state of the Scheduler store (docs/pdp-state.md): the action groups of each
 * kind of row, and the message pruner.
 */
public final class PdpActions implements ActionGroup {
  private final Sql sql;
  private final TaskCreator tasks;
  private final MessagePruner pruner;
  private final Clock clock;

  public PdpActions(Clock clock, Database db, TaskCreator tasks, Duration messageRetention) {
    this.clock = clock;
    this.sql = new Sql(db);
    this.tasks = tasks;
    this.pruner = new MessagePruner(clock, sql, messageRetention);
  }

  @Override
  public void register(ActionRouter router) {
    Messages messages = new Messages(sql, tasks, clock);
    ProofSets proofSets = new ProofSets(sql, messages, clock);
    messages.register(router);
    proofSets.register(router);
    new ProvingSchedule(sql, tasks, messages, proofSets).register(router);
    new Roots(sql, messages, proofSets, clock).register(router);
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
