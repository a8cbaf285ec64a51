package io.piri.db.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Piri's duration syntax (Go's {@code time.ParseDuration}): "300ms", "5s", "1h30m", "1.5h", "0". */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");

  private Durations() {}

  /** @throws IllegalArgumentException when the text is not a duration or is negative */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty duration");
    if (text.equals("0")) return Duration.ZERO;
    if (text.startsWith("-")) throw new IllegalArgumentException("negative duration '" + text + "'");
    String s = text.startsWith("+") ? text.substring(1) : text;
    Matcher m = PART.matcher(s);
    int pos = 0;
    double nanos = 0;
    while (pos < s.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("invalid duration '" + text + "' (use e.g. 500ms, 5s, 30m, 1h30m)");
      }
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      pos = m.end();
    }
    if (nanos > Long.MAX_VALUE) throw new IllegalArgumentException("duration '" + text + "' is too large");
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Formats a duration back in the same syntax, for messages and docs. */
  public static String format(Duration d) {
    if (d.isZero()) return "0";
    long ms = d.toMillis();
    StringBuilder b = new StringBuilder();
    long h = ms / 3_600_000, m = (ms / 60_000) % 60, s = (ms / 1000) % 60, rest = ms % 1000;
    if (h > 0) b.append(h).append('h');
    if (m > 0) b.append(m).append('m');
    if (s > 0) b.append(s).append('s');
    if (rest > 0) b.append(rest).append("ms");
    return b.length() == 0 ? d.toNanos() + "ns" : b.toString();
  }

  private static double unitNanos(String unit) {
    switch (unit) {
      case "ns": return 1;
      case "us": case "µs": case "μs": return 1e3;
      case "ms": return 1e6;
      case "s": return 1e9;
      case "m": return 60e9;
      default: return 3600e9;
    }
  }
}
