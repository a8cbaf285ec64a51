package io.piri.db.console;

import io.piri.db.core.StoreId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The console's only way to the stores: one event-bus request per call, as any Piri verticle
 * sends it. A store that does not offer an action (a cluster member of an older version) answers
 * {@link ApiError} 501 {@code not_available} naming the action, rather than a bare 400.
 */
interface StoreCalls {
  /** A read, or a change made on nobody's behalf. */
  Future<JsonObject> call(StoreId store, String action, JsonObject body);

  /**
   * A change made for {@code actor}: the request carries the actor headers
   * ({@link io.piri.db.bus.Request#ACTOR_HEADER}) that stores record in their audit rows.
   */
  Future<JsonObject> change(StoreId store, String action, JsonObject body, Principal actor);
}
