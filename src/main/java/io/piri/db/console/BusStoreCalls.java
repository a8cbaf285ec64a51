package io.piri.db.console;

import io.piri.db.core.StoreId;
import io.piri.db.bus.ActionRouter;
import io.piri.db.bus.Request;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/** {@link StoreCalls} over the event bus, with the protocol's failures turned into HTTP ones. */
final class BusStoreCalls implements StoreCalls {
  /** Console reads are bounded; a store that takes longer is reported, not waited for. */
  static final long TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  BusStoreCalls(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<JsonObject> call(StoreId store, String action, JsonObject body) {
    return send(store, action, body, new DeliveryOptions());
  }

  @Override
  public Future<JsonObject> change(StoreId store, String action, JsonObject body, Principal actor) {
    DeliveryOptions opts = new DeliveryOptions().addHeader(Request.ACTOR_HEADER, actor.name())
        .addHeader(Request.ACTOR_ROLE_HEADER, actor.role().id()).addHeader(Request.VIA_HEADER, "console");
    return send(store, action, body, opts);
  }

  private Future<JsonObject> send(StoreId store, String action, JsonObject body, DeliveryOptions opts) {
    opts.setSendTimeout(TIMEOUT_MS).addHeader(ActionRouter.ACTION_HEADER, action);
    return vertx.eventBus().<JsonObject>request(store.address(), body, opts)
        .map(m -> m.body())
        .recover(e -> Future.failedFuture(translate(store, action, e)));
  }

  static Throwable translate(StoreId store, String action, Throwable e) {
    if (!(e instanceof ReplyException re)) return e;
    String text = String.valueOf(re.getMessage());
    return switch (re.failureType()) {
      case NO_HANDLERS -> new ApiError(503, "unavailable", "store '" + store.id() + "' is not running");
      case TIMEOUT -> new ApiError(504, "timeout", "store '" + store.id() + "' did not answer " + action + " within " + TIMEOUT_MS + " ms");
      default -> {
        if (re.failureCode() == 400 && text.startsWith("invalid_argument: unknown action '")) {
          yield new ApiError(501, "not_available", "store '" + store.id() + "' does not offer the action '" + action
              + "' (is it a node of an older version?)");
        }
        int colon = text.indexOf(": ");
        String error = colon > 0 ? text.substring(0, colon) : "internal";
        String detail = colon > 0 ? text.substring(colon + 2) : text;
        int code = re.failureCode() >= 400 && re.failureCode() < 600 ? re.failureCode() : 500;
        yield new ApiError(code, error, detail);
      }
    };
  }
}
