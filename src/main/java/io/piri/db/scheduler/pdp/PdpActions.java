package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ActionRouter;
import io.piri.db.scheduler.TaskCreator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The PDP proving state of the Scheduler store (docs/pdp-state.md): the action groups of each
 * kind of row, and the message pruner.
 */
public final class PdpActions implements ActionGroup {
  private final Sql sql;
  private final TaskCreator tasks;
  private final MessagePruner pruner;

  public PdpActions(Vertx vertx, Database db, TaskCreator tasks, Duration messageRetention) {
    this.sql = new Sql(db);
    this.tasks = tasks;
    this.pruner = new MessagePruner(vertx, sql, messageRetention);
  }

  @Override
  public void register(ActionRouter router) {
    Messages messages = new Messages(sql, tasks);
    ProofSets proofSets = new ProofSets(sql, messages);
    messages.register(router);
    proofSets.register(router);
    new ProvingSchedule(sql, tasks, messages, proofSets).register(router);
    new Roots(sql, messages, proofSets).register(router);
    new Pieces(sql).register(router);
    new Providers(sql, messages).register(router);
    new Payments(sql, messages).register(router);
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
