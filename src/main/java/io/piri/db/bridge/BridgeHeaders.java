package io.piri.db.bridge;

import io.piri.db.core.WaitLimits;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The {@code headers} of a bridge {@code send}: strings, passed on as message headers, except
 * {@code timeout}, which is not passed on but read, as the stock bridge reads it, as the
 * request's send timeout in milliseconds.
 */
final class BridgeHeaders {
  static final String TIMEOUT = "timeout";
  /** The send timeout when none is given, and the longest one accepted: a waiting claim must answer within it. */
  static final long MAX_SEND_TIMEOUT_MS = WaitLimits.MAX_REPLY_MS;

  private BridgeHeaders() {}

  /** The delivery options of a send; an {@link IllegalArgumentException} names what is wrong. */
  static DeliveryOptions deliveryOptions(Object headers) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(MAX_SEND_TIMEOUT_MS);
    if (headers == null) return opts;
    if (!(headers instanceof JsonObject h)) throw new IllegalArgumentException("headers must be an object of strings");
    for (Map.Entry<String, Object> e : h) {
      if (TIMEOUT.equals(e.getKey())) {
        opts.setSendTimeout(timeout(e.getValue()));
      } else if (e.getValue() instanceof String v) {
        opts.addHeader(e.getKey(), v);
      } else {
        throw new IllegalArgumentException("header '" + e.getKey() + "' must be a string (only 'timeout' is a number)");
      }
    }
    return opts;
  }

  private static long timeout(Object v) {
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 1 && ((Number) v).longValue() <= MAX_SEND_TIMEOUT_MS) {
      return ((Number) v).longValue();
    }
    throw new IllegalArgumentException("header 'timeout' must be an integer number of milliseconds, 1.." + MAX_SEND_TIMEOUT_MS
        + ", got " + kind(v));
  }

  private static String kind(Object v) {
    if (v instanceof Number) return v.toString();
    if (v instanceof String) return "a string";
    if (v instanceof Boolean) return "a boolean";
    if (v instanceof JsonObject) return "an object";
    if (v instanceof io.vertx.core.json.JsonArray) return "an array";
    return "null";
  }
}
