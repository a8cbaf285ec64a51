package io.piri.db.scheduler.pdp;

import io.piri.db.backend.Database;
import io.piri.db.bus.ActionRouter;
import io.piri.db.scheduler.TaskCreator;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The PDP proving state of the Scheduler store (issue 5; docs/pdp-state.md): registers the action
 * groups on the store's router and owns the message pruner, which the store starts and stops.
 */
public final class PdpActions {
  private final MessagePruner pruner;

  private PdpActions(MessagePruner pruner) {
    this.pruner = pruner;
  }

  public static PdpActions register(ActionRouter router, Vertx vertx, Database db, TaskCreator tasks, Duration messageRetention) {
    Sql sql = new Sql(db);
    Messages messages = new Messages(sql, tasks);
    ProofSets proofSets = new ProofSets(sql, messages);
    messages.register(router);
    proofSets.register(router);
    new ProvingSchedule(sql, tasks, messages, proofSets).register(router);
    new Roots(sql, messages, proofSets).register(router);
    new Pieces(sql).register(router);
    new Providers(sql, messages).register(router);
    new Payments(sql, messages).register(router);
    return new PdpActions(new MessagePruner(vertx, sql, messageRetention));
  }

  public void start() {
    pruner.start();
  }

  public void stop() {
    pruner.stop();
  }
}
