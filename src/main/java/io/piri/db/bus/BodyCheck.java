package io.piri.db.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/**
 * Refuses, anywhere in a request body, what a store would not keep as sent: text with a lone
 * UTF-16 surrogate (UTF-8 cannot encode it: it would be stored as '?'), a non-finite number (JSON
 * cannot write it: 1e400 would come back as the string "Infinity"), and text with NUL (PostgreSQL
 * cannot store it in text). NUL is allowed only under the paths an action declares as JSON kept
 * as bytes (a queue job's payload), where it is escaped like any other character. Each refusal is
 * a 400 naming the value's path, e.g. {@code items[2].receipt}.
 */
final class BodyCheck {
  private static final int MAX_PATH_CHARS = 200;
  /** Nesting beyond which only encoding a body tells whether it can be encoded at all. */
  private static final int MAX_BOUNDED_DEPTH = 32;

  /** A value still to look at: its path as a 400 names it, and as the declared paths spell it ("jobs[].payload"). */
  private record Node(Object value, String path, String pattern, boolean bytes) {}

  private BodyCheck() {}

  static void check(JsonObject body, Set<String> bytesPaths) {
    // A loop rather than recursion: the body's depth is the sender's choice.
    Deque<Node> todo = new ArrayDeque<>();
    todo.push(new Node(body, "", "", false));
    while (!todo.isEmpty()) {
      Node n = todo.pop();
      if (n.value instanceof JsonObject o) {
        for (Map.Entry<String, Object> e : o) {
          String path = n.path.isEmpty() ? escape(e.getKey()) : n.path + "." + escape(e.getKey());
          String pattern = n.pattern.isEmpty() ? e.getKey() : n.pattern + "." + e.getKey();
          text(e.getKey(), path, n.bytes);
          todo.push(new Node(e.getValue(), path, pattern, n.bytes || bytesPaths.contains(pattern)));
        }
      } else if (n.value instanceof JsonArray a) {
        for (int i = 0; i < a.size(); i++) {
          todo.push(new Node(a.getValue(i), n.path + "[" + i + "]", n.pattern + "[]", n.bytes));
        }
      } else if (n.value instanceof String s) {
        text(s, n.path, n.bytes);
      } else if (n.value instanceof Double d && !Double.isFinite(d) || n.value instanceof Float f && !Float.isFinite(f)) {
        throw refuse(n.path, "must be a finite number (JSON has no " + n.value + ")");
      }
    }
  }

  /**
   * An upper bound of the body's size once encoded, or -1 where only encoding it tells: values
   * of other types than JSON's own, or deep nesting (which the encoder may refuse). A character
   * counts as its longest escape, a number as its longest form, so that a body well under the
   * limit is let through without being encoded just to be measured.
   */
  static long sizeBound(JsonObject body) {
    long size = 0;
    Deque<Object> todo = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    todo.push(body);
    depths.push(0);
    while (!todo.isEmpty()) {
      Object v = todo.pop();
      int depth = depths.pop();
      if (v instanceof JsonObject o) {
        if (depth >= MAX_BOUNDED_DEPTH) return -1;
        size += 2;
        for (Map.Entry<String, Object> e : o) {
          size += text(e.getKey()) + 2;
          todo.push(e.getValue() == null ? NULL : e.getValue());
          depths.push(depth + 1);
        }
      } else if (v instanceof JsonArray a) {
        if (depth >= MAX_BOUNDED_DEPTH) return -1;
        size += 2 + a.size();
        for (Object item : a) {
          todo.push(item == null ? NULL : item);
          depths.push(depth + 1);
        }
      } else if (v instanceof String t) {
        size += text(t);
      } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        size += 20;
      } else if (v instanceof Double || v instanceof Float) {
        size += 25;
      } else if (v instanceof Boolean || v == NULL) {
        size += 5;
      } else {
        return -1;
      }
    }
    return size;
  }

  private static final Object NULL = new Object();

  private static long text(String s) {
    return 2 + 6L * s.length();
  }

  /** Refuses text a store cannot keep as sent; {@code what} names it in the 400 ("header 'actor'"). */
  static void text(String s, String what) {
    String why = unstorable(s, false);
    if (why != null) throw BusException.invalid(what + " " + why);
  }

  private static void text(String s, String path, boolean bytes) {
    String why = unstorable(s, bytes);
    if (why != null) throw refuse(path, why);
  }

  private static String unstorable(String s, boolean bytes) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 && !bytes) return "must not contain NUL (\\u0000)";
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "holds a lone surrogate (" + unicode(c) + "), which is not valid Unicode";
      }
    }
    return null;
  }

  private static BusException refuse(String path, String why) {
    String p = path.length() > MAX_PATH_CHARS ? path.substring(0, MAX_PATH_CHARS) + "..." : path;
    return BusException.invalid("field '" + p + "' " + why);
  }

  /** A field name as a path shows it: controls, lone surrogates and quotes as \\u escapes. */
  private static String escape(String key) {
    StringBuilder out = null;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean pair = Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1));
      boolean plain = c >= 0x20 && c != '\'' && c != 0x7f && (pair || !Character.isSurrogate(c));
      if (out == null && plain) continue;
      if (out == null) out = new StringBuilder(key.substring(0, i));
      if (pair) {
        out.append(c).append(key.charAt(++i));
      } else {
        out.append(plain ? String.valueOf(c) : unicode(c));
      }
    }
    return out == null ? key : out.toString();
  }

  private static String unicode(char c) {
    return String.format("\\u%04x", (int) c);
  }
}
