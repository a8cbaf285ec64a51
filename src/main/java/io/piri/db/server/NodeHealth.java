package io.piri.db.server;

import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

/**
 * /health: one check per store, each the store's {@code health} action over the bus (the store
 * answers and its database runs a trivial query). Going through the bus, rather than to the
 * databases directly, checks what clients see, and works on a cluster member without stores.
 */
final class NodeHealth {
  private static final long CHECK_TIMEOUT_MS = 3_000;

  private final HealthChecks checks;

  NodeHealth(Vertx vertx) {
    checks = HealthChecks.create(vertx);
    for (StoreId store : StoreId.values()) {
      checks.register(store.id(), CHECK_TIMEOUT_MS + 500, promise -> {
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS).addHeader(ActionRouter.ACTION_HEADER, "health");
        vertx.eventBus().<JsonObject>request(store.address(), new JsonObject(), opts).onComplete(ar -> {
          if (ar.succeeded()) {
            promise.complete(Status.OK(ar.result().body()));
          } else {
            promise.complete(Status.KO(new JsonObject().put("reason", reason(store, ar.cause()))));
          }
        });
      });
    }
  }

  /** The outcome: up when every store is; the JSON names each store and, when down, why. */
  Future<CheckResult> check() {
    return checks.checkStatus();
  }

  private static String reason(StoreId store, Throwable e) {
    if (e instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "store '" + store.id() + "' is not running";
        case TIMEOUT -> "store '" + store.id() + "' did not answer within " + CHECK_TIMEOUT_MS + " ms";
        default -> re.getMessage();
      };
    }
    return String.valueOf(e.getMessage());
  }
}
