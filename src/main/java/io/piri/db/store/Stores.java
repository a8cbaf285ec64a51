package io.piri.db.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.piri.db.backend.Database;
import io.piri.db.bus.ActionGroup;
import io.piri.db.bus.ChangeEvents;
import io.piri.db.config.PiriConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.StoreId;
import io.piri.db.queue.DedupeLookup;
import io.piri.db.queue.QueueService;
import io.piri.db.queue.Rollups;
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
    return new StoreVerticle(store, config, db, () -> groups(store, config, db, clock, meters, events)).withMeters(meters);
  }

  /**
   * The verticle of {@code store} over a database opened read-only ({@link StoreVerticle#readOnly}):
   * the same actions, for reading a data_dir offline.
   */
  public static StoreVerticle readOnlyVerticle(StoreId store, PiriConfig config, Database db, Clock clock, ChangeEvents events) {
    return new StoreVerticle(store, config, db,
        () -> groups(store, config, db, clock, new io.micrometer.core.instrument.composite.CompositeMeterRegistry(), events))
        .readOnly();
  }

  private static List<ActionGroup> groups(StoreId store, PiriConfig config, Database db, Clock clock, MeterRegistry meters,
                                          ChangeEvents events) {
    if (store != StoreId.SCHEDULER) {
      Rollups rollups = new Rollups(clock, store, config, db);
      QueueService queues = new QueueService(clock, store, config, db, meters, events, rollups);
      return List.of(queues, queues.views(), rollups, new DedupeLookup(store, config, db), queues.bulk(config));
    }
    SchedulerChanges changes = new SchedulerChanges(events);
    TaskService tasks = new TaskService(clock, config, db, changes);
    PdpActions pdp = new PdpActions(clock, db, tasks.creator(), config.messageRetention(), changes);
    tasks.observe(pdp.taskObserver());
    return List.of(tasks, pdp);
  }
}
