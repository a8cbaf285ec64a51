package io.piri.db.scheduler.pdp;

import io.piri.db.bus.BusException;
import io.piri.db.bus.Request;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Validation of the PDP actions' fields, each failure a 400 naming the field. Hashes, addresses
 * and CIDs are kept as the strings Piri stores (0x-hex hashes and addresses, base32 CIDv1), so
 * they are checked for shape only; bytes travel as base64 in fields named {@code *_base64}.
 */
final class Fields {
  static final int MAX_LIMIT = 1000;
  static final int MAX_LIST = 1000;
  /**
   * The largest epoch, period, window or block number: 2^53 - 1, the largest integer every JSON
   * reader keeps exact. Sums of a few such values, as the schedule computes, stay inside 64 bits.
   */
  static final long MAX_EPOCH = (1L << 53) - 1;
  /** The largest nonce, bounded like epochs so that the next nonce (highest + 1) always fits. */
  static final long MAX_NONCE = (1L << 53) - 1;
  private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern CID = Pattern.compile("b[a-z2-7]{10,250}");
  private static final int MAX_TEXT = 1024;

  private Fields() {}

  static String hash(Request req, String field) {
    return check(field, req.string(field), HASH, "a 0x-prefixed 32-byte hex hash");
  }

  static String optHash(Request req, String field) {
    String v = req.optString(field);
    return v == null ? null : check(field, v, HASH, "a 0x-prefixed 32-byte hex hash");
  }

  static String address(Request req, String field) {
    return check(field, req.string(field), ADDRESS, "a 0x-prefixed 20-byte hex address");
  }

  static String cid(Request req, String field) {
    return cid(field, req.string(field));
  }

  static String cid(String field, String v) {
    return check(field, v, CID, "a base32 CIDv1 string (b...)");
  }

  static String text(Request req, String field) {
    String v = req.string(field);
    if (v.isEmpty() || v.length() > MAX_TEXT) throw BusException.invalid("field '" + field + "' must be 1.." + MAX_TEXT + " characters");
    return v;
  }

  static String optText(Request req, String field, String def) {
    if (!req.has(field)) return def;
    return text(req, field);
  }

  /** {@code service} defaults to Piri's only service name. */
  static String service(Request req) {
    return optText(req, "service", "storacha");
  }

  static byte[] bytes(Request req, String field) {
    return base64(field, req.string(field));
  }

  static byte[] optBytes(Request req, String field) {
    String v = req.optString(field);
    return v == null ? null : base64(field, v);
  }

  static byte[] base64(String field, String v) {
    try {
      byte[] b = Base64.getDecoder().decode(v);
      if (b.length == 0) throw BusException.invalid("field '" + field + "' must not be empty");
      return b;
    } catch (IllegalArgumentException e) {
      throw BusException.invalid("field '" + field + "' must be base64: " + e.getMessage());
    }
  }

  static String uuid(Request req, String field) {
    String v = req.string(field);
    try {
      return UUID.fromString(v).toString();
    } catch (IllegalArgumentException e) {
      throw BusException.invalid("field '" + field + "' must be a UUID");
    }
  }

  static long id(Request req, String field) {
    return req.id(field, 0, Long.MAX_VALUE);
  }

  static Long optId(Request req, String field) {
    return req.optId(field, 0, Long.MAX_VALUE);
  }

  /** A list of at most {@link #MAX_LIST} ids; a refused one is named "field[i]". */
  static List<Long> ids(Request req, String field) {
    return req.ids(field, MAX_LIST, 0, Long.MAX_VALUE);
  }

  /** An epoch or block number, 0..{@link #MAX_EPOCH}. */
  static long epoch(Request req, String field) {
    return req.longValue(field, 0, MAX_EPOCH);
  }

  /** A number of epochs (a proving period, a challenge window), 1..{@link #MAX_EPOCH}. */
  static long epochs(Request req, String field) {
    return req.longValue(field, 1, MAX_EPOCH);
  }

  static long nonce(Request req, String field) {
    return req.longValue(field, 0, MAX_NONCE);
  }

  /**
   * A rail id: a uint256, as a JSON integer or a string of ASCII digits, kept as its canonical
   * decimal string so that one rail has one spelling.
   */
  static String railId(Request req) {
    BigInteger n = Request.idNumber(req.body().getValue("rail_id"), "rail_id");
    if (n.signum() < 0 || n.bitLength() > 256) throw BusException.invalid("field 'rail_id' must be between 0 and 2^256-1");
    return n.toString();
  }

  static boolean bool(Request req, String field) {
    if (!req.has(field)) throw BusException.invalid("field '" + field + "' is required");
    return req.optBool(field, false);
  }

  static int limit(Request req, int def) {
    return req.optInt("limit", 1, MAX_LIMIT, def);
  }

  /** An optional JSON object, kept as its text (receipts, transactions). */
  static String optJson(Request req, String field) {
    Object v = req.body().getValue(field);
    if (v == null) return null;
    if (!(v instanceof JsonObject o)) throw BusException.invalid("field '" + field + "' must be a JSON object");
    return o.encode();
  }

  /** A non-empty list of unique CIDs. */
  static List<String> cids(Request req, String field) {
    List<String> out = new ArrayList<>();
    for (String s : nonEmpty(req, field, String.class, "strings")) {
      cid(field, s);
      if (!out.contains(s)) out.add(s);
    }
    return out;
  }

  /** An array of objects, each checked by the caller. */
  static List<JsonObject> objects(Request req, String field) {
    return nonEmpty(req, field, JsonObject.class, "objects");
  }

  /** A non-empty array of {@code type} only ({@code types} names them in the 400). */
  private static <T> List<T> nonEmpty(Request req, String field, Class<T> type, String types) {
    JsonArray a = req.array(field, MAX_LIST);
    if (a.isEmpty()) throw BusException.invalid("field '" + field + "' must not be empty");
    List<T> out = new ArrayList<>();
    for (Object o : a) {
      if (!type.isInstance(o)) throw BusException.invalid("field '" + field + "' must hold " + types);
      out.add(type.cast(o));
    }
    return out;
  }

  /** Reads one item of an array with {@code reader}; a 400 then names the item ("rows[2]") and its field. */
  static <T> T item(Request req, String field, int index, JsonObject item, java.util.function.Function<Request, T> reader) {
    try {
      return reader.apply(new Request(req.action(), item));
    } catch (BusException e) {
      throw BusException.invalid("field '" + field + "[" + index + "]': " + e.getMessage());
    }
  }

  private static String check(String field, String v, Pattern p, String what) {
    if (!p.matcher(v).matches()) throw BusException.invalid("field '" + field + "' must be " + what);
    return v;
  }
}
