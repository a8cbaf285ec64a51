package io.piri.db.console;

import io.piri.db.core.StoreId;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * The node log's line for every change made through the console, and for every payload shown
 * on request: who, what, the filter and what it affected. The durable row is the store's
 * (it records the actor headers of the change); this line is what the
 * node itself can say. Only a token's name appears, never the token.
 */
final class Audit {
  private static final Logger LOG = Logger.getLogger("io.piri.db.console.audit");

  private Audit() {}

  static void record(Principal who, StoreId store, String action, JsonObject filter, String outcome) {
    LOG.info(() -> "console audit: actor=" + who.name() + " role=" + who.role().id() + " store=" + store.id()
        + " action=" + action + " filter=" + filter.encode() + " outcome=" + outcome);
  }
}
