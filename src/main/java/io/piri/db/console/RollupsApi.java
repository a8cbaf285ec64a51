package io.piri.db.console;

import io.piri.db.config.QueueConfig;
import io.piri.db.ops.Operations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A queue's per-minute rollups for the charts: the store's {@code rollups} over the last hour or
 * day ({@code window}), or between {@code from} and {@code to} (epoch ms). Read only when a screen
 * asks: a page left open runs nothing.
 */
record RollupsApi(StoreCalls stores, Queues queues) {
  private static final long HOUR_MS = 3_600_000;
  private static final long MINUTE_MS = 60_000;

  void register(RouteTable t) {
    t.operation(Operations.ROLLUPS,
        "per-minute rollups: window=hour|day, or from and to (epoch ms, at most a day)", Api.json(this::rollups));
  }

  private Future<JsonObject> rollups(RoutingContext ctx) {
    QueueConfig q = queues.of(ctx);
    String window = ctx.request().getParam("window", "hour");
    long span = switch (window) {
      case "hour" -> HOUR_MS;
      case "day" -> 24 * HOUR_MS;
      default -> throw ApiError.invalid("parameter 'window' must be hour or day, got '" + clip(window) + "'");
    };
    Long to = millis(ctx, "to");
    Long from = millis(ctx, "from");
    long end = to != null ? to : System.currentTimeMillis();
    // The store counts a window from the start of the minute 'from' falls in: the next minute's
    // start keeps a day's window within its limit.
    long start = from != null ? from : Math.max(0, Math.floorDiv(end - span + MINUTE_MS - 1, MINUTE_MS) * MINUTE_MS);
    JsonObject body = new JsonObject().put("queue", q.name()).put("to", end).put("from", start);
    return stores.call(Queues.store(q), Operations.ROLLUPS.action(), body)
        .map(r -> r.put("from", body.getLong("from")).put("to", end));
  }

  private static Long millis(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    if (v == null) return null;
    try {
      long ms = Long.parseLong(v);
      if (ms >= 0) return ms;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.invalid("parameter '" + name + "' must be a time in epoch milliseconds, got '" + clip(v) + "'");
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
