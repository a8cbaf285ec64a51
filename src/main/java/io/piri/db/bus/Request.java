package io.piri.db.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request body with typed, validating accessors: every getter that rejects a value throws a 400
 * naming the field, so handlers read fields before they touch the store.
 */
public final class Request {
  /** Headers of a change made for someone: who asked, in what role, and through what (console, cli). */
  public static final String ACTOR_HEADER = "actor";
  public static final String ACTOR_ROLE_HEADER = "actor_role";
  public static final String VIA_HEADER = "via";
  /** The longest actor header kept: names of tokens and OS users are far shorter. */
  public static final int MAX_ACTOR_CHARS = 256;

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,80}");
  private final String action;
  private final JsonObject body;
  private final String actor;
  private final String actorRole;
  private final String via;

  public Request(String action, JsonObject body) {
    this(action, body, null, null, null);
  }

  private Request(String action, JsonObject body, String actor, String actorRole, String via) {
    this.action = action;
    this.body = body;
    this.actor = actor;
    this.actorRole = actorRole;
    this.via = via;
  }

  /**
   * A request with the actor headers of its message; a header that is empty, longer than
   * {@link #MAX_ACTOR_CHARS} or not storable text (NUL, a lone surrogate) is a 400 naming it.
   */
  public static Request withHeaders(String action, JsonObject body, MultiMap headers) {
    return new Request(action, body, header(headers, ACTOR_HEADER), header(headers, ACTOR_ROLE_HEADER), header(headers, VIA_HEADER));
  }

  private static String header(MultiMap headers, String name) {
    String v = headers.get(name);
    if (v == null) return null;
    if (v.isEmpty() || v.length() > MAX_ACTOR_CHARS) {
      throw BusException.invalid("header '" + name + "' must be 1.." + MAX_ACTOR_CHARS + " characters");
    }
    BodyCheck.text(v, "header '" + name + "'");
    return v;
  }

  public String action() {
    return action;
  }

  public JsonObject body() {
    return body;
  }

  /** Who asked for this change (the {@value #ACTOR_HEADER} header), or null. */
  public String actor() {
    return actor;
  }

  /** The asker's role (the {@value #ACTOR_ROLE_HEADER} header), or null. */
  public String actorRole() {
    return actorRole;
  }

  /** What the request came through, such as console or cli (the {@value #VIA_HEADER} header), or null. */
  public String via() {
    return via;
  }

  /** Rejects any field outside {@code allowed}. */
  public Request only(Set<String> allowed) {
    for (String f : body.fieldNames()) {
      if (!allowed.contains(f)) throw BusException.invalid("unknown field '" + f + "' for action '" + action + "'");
    }
    return this;
  }

  public boolean has(String field) {
    return body.getValue(field) != null;
  }

  public String string(String field) {
    String s = optString(field);
    if (s == null) throw BusException.invalid("field '" + field + "' is required");
    return s;
  }

  public String optString(String field) {
    Object v = body.getValue(field);
    if (v == null) return null;
    if (!(v instanceof String s)) throw BusException.invalid("field '" + field + "' must be a string");
    return s;
  }

  public long longValue(String field, long min, long max) {
    Object v = body.getValue(field);
    if (v == null) throw BusException.invalid("field '" + field + "' is required");
    return integer(v, field, min, max);
  }

  public long optLong(String field, long min, long max, long def) {
    Object v = body.getValue(field);
    return v == null ? def : integer(v, field, min, max);
  }

  /** An id field (see {@link #id(Object, String, long, long)}); required. */
  public long id(String field, long min, long max) {
    return id(body.getValue(field), field, min, max);
  }

  public Long optId(String field, long min, long max) {
    Object v = body.getValue(field);
    return v == null ? null : id(v, field, min, max);
  }

  /**
   * An integer field's value: a JSON number without fraction or exponent, within min..max. A
   * fraction or a number past 64 bits is refused, never rounded or cut.
   */
  private static long integer(Object v, String field, long min, long max) {
    BigInteger n = exact(v);
    if (n == null) throw BusException.invalid("field '" + field + "' must be an integer");
    return inRange(n, field, min, max);
  }

  /** An id (job, task, proof set, root, ...): a JSON integer, or a string of ASCII digits read as one; min..max. */
  public static long id(Object v, String field, long min, long max) {
    return inRange(idNumber(v, field), field, min, max);
  }

  /**
   * The number an id field holds, of any size: a JSON integer, or a string of 1..80 ASCII digits
   * (only '0'-'9': no sign, space, fraction or other script's digits). A 400 otherwise.
   */
  public static BigInteger idNumber(Object v, String field) {
    if (v == null) throw BusException.invalid("field '" + field + "' is required");
    if (v instanceof String s) {
      if (!DIGITS.matcher(s).matches()) {
        throw BusException.invalid("field '" + field + "' must be an id: a JSON integer or a string of ASCII digits");
      }
      return new BigInteger(s);
    }
    BigInteger n = exact(v);
    if (n == null) throw BusException.invalid("field '" + field + "' must be an id: a JSON integer or a string of ASCII digits");
    return n;
  }

  /** The value of a JSON integer (a number without fraction or exponent), or null for anything else. */
  private static BigInteger exact(Object v) {
    if (v instanceof BigInteger b) return b;
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return BigInteger.valueOf(((Number) v).longValue());
    return null;
  }

  private static long inRange(BigInteger n, String field, long min, long max) {
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      String got = n.toString();
      if (got.length() > 40) got = got.substring(0, 40) + "...";
      throw BusException.invalid("field '" + field + "' must be between " + min + " and " + max + ", got " + got);
    }
    return n.longValue();
  }

  /** An array of at most maxSize ids; a refused item is named "field[i]". */
  public List<Long> ids(String field, int maxSize, long min, long max) {
    JsonArray a = array(field, maxSize);
    List<Long> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) out.add(id(a.getValue(i), field + "[" + i + "]", min, max));
    return out;
  }

  public int optInt(String field, int min, int max, int def) {
    return (int) optLong(field, min, max, def);
  }

  public boolean optBool(String field, boolean def) {
    Object v = body.getValue(field);
    if (v == null) return def;
    if (!(v instanceof Boolean b)) throw BusException.invalid("field '" + field + "' must be true or false");
    return b;
  }

  public JsonArray array(String field, int maxSize) {
    Object v = body.getValue(field);
    if (v == null) throw BusException.invalid("field '" + field + "' is required");
    if (!(v instanceof JsonArray a)) throw BusException.invalid("field '" + field + "' must be an array");
    if (a.size() > maxSize) {
      throw BusException.invalid("field '" + field + "' has " + a.size() + " items, at most " + maxSize + " allowed");
    }
    return a;
  }
}
