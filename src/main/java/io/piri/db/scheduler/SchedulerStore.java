package io.piri.db.scheduler;

import io.piri.db.StoreId;
import io.piri.db.backend.Database;
import io.piri.db.bus.ActionRouter;
import io.piri.db.config.PiriConfig;
import io.piri.db.store.StoreVerticle;

/** The Scheduler store ({@code piri.db.scheduler}): Piri's task engine and PDP proving state. */
public final class SchedulerStore extends StoreVerticle {
  public SchedulerStore(PiriConfig config, Database db) {
    super(StoreId.SCHEDULER, config, db);
  }

  @Override
  protected void actions(ActionRouter router) {}
}
