package io.piri.db.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Where stores say that a commit changed what an operator watches: a publish (reaching every
 * member's console on a cluster) on {@value #ADDRESS}, sent after the change committed. The
 * events carry no data; watchers read the store again.
 */
public record ChangeEvents(EventBus bus) {
  public static final String ADDRESS = "piri.db.events";

  public void publish(JsonObject event) {
    bus.publish(ADDRESS, event);
  }
}
