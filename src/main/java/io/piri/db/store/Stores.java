package io.piri.db.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ChangeEvents;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.StoreId;
import io.piri.db.queue.BulkService;
import io.piri.db.queue.QueueService;
import io.piri.db.scheduler.SchedulerChanges;
import io.piri.db.scheduler.TaskService;
import io.piri.db.scheduler.pdp.PdpActions;
import java.util.List;

/**
 * What each store hosts: the Scheduler store the task engine and the PDP state (whose actions add
 * tasks in their own transactions), the three others the job-queue engine.
 */
public final class Stores {
  private Stores() {}

  /**
   * The verticle of {@code store}, serving {@code db} on {@code clock}'s time, counting into
   * {@code meters} and announcing its changes on {@code events}.
   */
  public static StoreVerticle verticle(StoreId store, PiriConfig config, Database db, Clock clock, MeterRegistry meters,
                                       ChangeEvents events) {
    StoreVerticle v = new StoreVerticle(store, config, db, () -> {
      if (store != StoreId.SCHEDULER) {
        return List.<ActionGroup>of(new QueueService(clock, store, config, db, meters), new BulkService(clock, store, config, db));
      }
      SchedulerChanges changes = new SchedulerChanges(events);
      TaskService tasks = new TaskService(clock, config, db, changes);
      PdpActions pdp = new PdpActions(clock, db, tasks.creator(), config.messageRetention(), changes);
      tasks.observe(pdp.taskObserver());
      return List.of(tasks, pdp);
    });
    return v.withMeters(meters);
  }
}
