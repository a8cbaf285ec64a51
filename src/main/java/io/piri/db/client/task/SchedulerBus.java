package io.piri.db.client.task;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/** Requests to the scheduler store over the event bus (contract §4): header {@code action}, JSON body. */
record SchedulerBus(Vertx vertx, String address, long timeoutMs) {
  static final String ACTION_HEADER = "action";

  Future<JsonObject> send(String action, JsonObject body) {
    return send(action, body, timeoutMs);
  }

  Future<JsonObject> send(String action, JsonObject body, long timeout) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(timeout).addHeader(ACTION_HEADER, action);
    return vertx.eventBus().<JsonObject>request(address, body, opts).map(m -> m.body());
  }

  /** The protocol code of a failed request; -1 when there was no reply (timeout, no handler). */
  static int code(Throwable e) {
    return e instanceof ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE
        ? r.failureCode() : -1;
  }

  /** 404 and 409: the session or the task is gone; trying again cannot help. */
  static boolean lost(Throwable e) {
    int c = code(e);
    return c == 404 || c == 409;
  }
}
