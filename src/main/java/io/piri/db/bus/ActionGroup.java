package io.piri.db.bus;

import io.vertx.core.Future;

/**
 * A set of a store's actions with the lifecycle they need (timers, listeners, waiting requests).
 * Engines offer their actions this way, so that they need not know the verticle that hosts them.
 */
public interface ActionGroup {
  /** Puts the group's actions on the router; called once, before {@link #start}. */
  void register(ActionRouter router);

  /**
   * Called before the store takes requests: starts the group's background work (timers,
   * listeners, writes of what fell due). A read-only store (a data_dir read offline) never calls
   * it, so the group's reads must answer without it.
   */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /**
   * Called once new requests are refused and before waiting for those in flight: a group with
   * long-polling requests answers them now rather than at their deadline.
   */
  default void stopping() {}

  /** Called once the requests in flight are answered, before the database closes. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
