package io.piri.db.console;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Shared plumbing of the API handlers: JSON replies, refusals, query parameters and bodies. */
final class Api {
  private static final Logger LOG = Logger.getLogger(Api.class.getName());
  static final int MAX_LIMIT = 1000;

  private Api() {}

  /** A handler that answers with the JSON its future completes with, or the refusal it fails with. */
  static io.vertx.core.Handler<RoutingContext> json(Function<RoutingContext, Future<JsonObject>> handler) {
    return ctx -> {
      Future<JsonObject> f;
      try {
        f = handler.apply(ctx);
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) send(ctx, 200, ar.result());
        else fail(ctx, ar.cause());
      });
    };
  }

  static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) return;
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  static void fail(RoutingContext ctx, Throwable e) {
    ApiError err;
    if (e instanceof ApiError a) {
      err = a;
    } else {
      String id = java.util.UUID.randomUUID().toString().substring(0, 8);
      LOG.log(Level.SEVERE, "[" + id + "] console " + ctx.request().method() + " " + ctx.request().path() + " failed", e);
      err = new ApiError(500, "internal", "internal error (correlation id " + id + ")");
    }
    send(ctx, err.status, err.toJson());
  }

  /** {@code limit}: 1..1000, {@code def} when absent. */
  static int limit(RoutingContext ctx, int def) {
    String v = ctx.request().getParam("limit");
    if (v == null || v.isEmpty()) return def;
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_LIMIT) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiError.invalid("parameter 'limit' must be an integer from 1 to " + MAX_LIMIT + ", got '" + v + "'");
  }

  /** An id parameter (query or path): a positive 64-bit integer, or null when absent. */
  static Long optId(RoutingContext ctx, String name) {
    String v = ctx.pathParam(name) != null ? ctx.pathParam(name) : ctx.request().getParam(name);
    if (v == null || v.isEmpty()) return null;
    try {
      long n = Long.parseLong(v);
      if (n >= 0) return n;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw ApiError.invalid("parameter '" + name + "' must be a non-negative integer, got '" + v + "'");
  }

  static long id(RoutingContext ctx, String name) {
    Long v = optId(ctx, name);
    if (v == null) throw ApiError.invalid("parameter '" + name + "' is required");
    return v;
  }

  /** The request body as a JSON object; an empty body is {}. */
  static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) return new JsonObject();
    try {
      Object v = ctx.body().asJsonObject();
      if (v instanceof JsonObject o) return o;
    } catch (DecodeException | ClassCastException ignored) {
      // reported below
    }
    throw ApiError.invalid("the request 'body' must be a JSON object");
  }
}
