package io.piri.db.console;

import io.piri.db.core.StoreId;
import io.piri.db.config.QueueConfig;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The configured queues and the store of each; a path naming any other queue is a 404. */
final class Queues {
  private final Map<String, QueueConfig> byName;

  Queues(Map<String, QueueConfig> byName) {
    this.byName = byName;
  }

  Map<String, QueueConfig> all() {
    return byName;
  }

  QueueConfig of(RoutingContext ctx) {
    String name = ctx.pathParam("queue");
    QueueConfig q = name == null ? null : byName.get(name);
    if (q == null) throw ApiError.notFound("queue '" + name + "' is not configured on this node");
    return q;
  }

  static StoreId store(QueueConfig q) {
    return StoreId.parse(q.store());
  }
}
