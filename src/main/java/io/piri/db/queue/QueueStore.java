package io.piri.db.queue;

import io.piri.db.StoreId;
import io.piri.db.backend.Database;
import io.piri.db.bus.ActionRouter;
import io.piri.db.config.PiriConfig;
import io.piri.db.store.StoreVerticle;

/** A job-queue store (replicator, aggregator, egress_tracker): the queues configured for it. */
public final class QueueStore extends StoreVerticle {
  public QueueStore(StoreId id, PiriConfig config, Database db) {
    super(id, config, db);
  }

  @Override
  protected void actions(ActionRouter router) {}
}
