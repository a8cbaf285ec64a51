package io.piri.db.queue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Decodes a CBOR payload (RFC 8949) into the JSON values search reads its fields from, as DAG-JSON
 * writes DAG-CBOR: a link (tag 42) is {@code {"/": "<CID in base32>"}}, a byte string
 * {@code {"/": {"bytes": "<base64>"}}}; other tags are their content. Nothing the project ships
 * reads CBOR, so this is the small subset payloads use; anything else (or trailing bytes) is not a
 * CBOR payload, and the job simply has no fields.
 */
final class Cbor {
  private static final int MAX_DEPTH = 64;
  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final byte[] in;
  private int pos;

  private Cbor(byte[] in) {
    this.in = in;
  }

  /** The decoded value, or null when the bytes are not one complete CBOR item. */
  static Object decode(byte[] bytes) {
    try {
      Cbor c = new Cbor(bytes);
      Object v = c.item(0);
      return c.pos == bytes.length ? v : null;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return null;
    }
  }

  private static final Object BREAK = new Object();

  private Object item(int depth) {
    if (depth > MAX_DEPTH) throw new IllegalArgumentException("too deep");
    int initial = in[pos++] & 0xff;
    int major = initial >>> 5;
    int info = initial & 0x1f;
    if (initial == 0xff) return BREAK;
    if (major == 7) return simple(info);
    boolean indefinite = info == 31;
    long n = indefinite ? -1 : argument(info);
    return switch (major) {
      case 0 -> n >= 0 ? (Object) n : new BigInteger(Long.toUnsignedString(n));
      case 1 -> n >= 0 ? (Object) (-1 - n) : new BigInteger(Long.toUnsignedString(n)).negate().subtract(BigInteger.ONE);
      case 2 -> bytesValue(indefinite ? chunks(2, depth) : take(n));
      case 3 -> text(indefinite ? chunks(3, depth) : take(n));
      case 4 -> array(n, depth);
      case 5 -> map(n, depth);
      default -> tag(n, depth);
    };
  }

  private long argument(int info) {
    if (info < 24) return info;
    int size = switch (info) {
      case 24 -> 1;
      case 25 -> 2;
      case 26 -> 4;
      case 27 -> 8;
      default -> throw new IllegalArgumentException("reserved");
    };
    long v = 0;
    for (int i = 0; i < size; i++) v = (v << 8) | (in[pos++] & 0xff);
    return v;
  }

  private byte[] take(long n) {
    if (n < 0 || n > in.length - pos) throw new IllegalArgumentException("short");
    byte[] out = new byte[(int) n];
    System.arraycopy(in, pos, out, 0, out.length);
    pos += out.length;
    return out;
  }

  /** An indefinite-length string: definite chunks of the same major type up to a break. */
  private byte[] chunks(int major, int depth) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while ((in[pos] & 0xff) != 0xff) {
      int initial = in[pos++] & 0xff;
      if (initial >>> 5 != major || (initial & 0x1f) == 31) throw new IllegalArgumentException("bad chunk");
      out.writeBytes(take(argument(initial & 0x1f)));
    }
    pos++;
    return out.toByteArray();
  }

  private static String text(byte[] utf8) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("text is not UTF-8");
    }
  }

  private static Object bytesValue(byte[] b) {
    return new JsonObject().put("/", new JsonObject().put("bytes", Base64.getEncoder().withoutPadding().encodeToString(b)));
  }

  private JsonArray array(long n, int depth) {
    JsonArray out = new JsonArray();
    for (long i = 0; n < 0 || i < n; i++) {
      Object v = item(depth + 1);
      if (v == BREAK) {
        if (n < 0) return out;
        throw new IllegalArgumentException("break");
      }
      out.add(v);
    }
    return out;
  }

  private JsonObject map(long n, int depth) {
    JsonObject out = new JsonObject();
    for (long i = 0; n < 0 || i < n; i++) {
      Object k = item(depth + 1);
      if (k == BREAK) {
        if (n < 0) return out;
        throw new IllegalArgumentException("break");
      }
      Object v = item(depth + 1);
      if (v == BREAK) throw new IllegalArgumentException("break");
      out.put(k instanceof String s ? s : String.valueOf(k), v);
    }
    return out;
  }

  private Object tag(long tag, int depth) {
    Object content = item(depth + 1);
    if (content == BREAK) throw new IllegalArgumentException("break");
    if (tag == 42 && content instanceof JsonObject o && o.getValue("/") instanceof JsonObject b) {
      byte[] cid = Base64.getDecoder().decode(b.getString("bytes"));
      // A DAG-CBOR link is the CID's bytes after a 0x00 (the identity multibase prefix).
      if (cid.length < 2 || cid[0] != 0) throw new IllegalArgumentException("link");
      return new JsonObject().put("/", "b" + base32(cid, 1));
    }
    return content;
  }

  private Object simple(int info) {
    return switch (info) {
      case 20 -> false;
      case 21 -> true;
      case 22, 23 -> null;
      case 25 -> half((int) argument(25));
      case 26 -> (double) Float.intBitsToFloat((int) argument(26));
      case 27 -> Double.longBitsToDouble(argument(27));
      default -> throw new IllegalArgumentException("simple value " + info);
    };
  }

  private static double half(int h) {
    int exp = (h >> 10) & 0x1f;
    int mant = h & 0x3ff;
    double v = exp == 0 ? mant * Math.pow(2, -24)
        : exp == 31 ? (mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
        : (mant + 1024) * Math.pow(2, exp - 25);
    return (h & 0x8000) != 0 ? -v : v;
  }

  /** RFC 4648 base32, lower case, no padding: the multibase 'b' form of CIDs. */
  private static String base32(byte[] b, int from) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (int i = from; i < b.length; i++) {
      buffer = (buffer << 8) | (b[i] & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) out.append(BASE32[(buffer << (5 - bits)) & 31]);
    return out.toString();
  }
}
