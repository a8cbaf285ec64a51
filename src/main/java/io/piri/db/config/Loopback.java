package io.piri.db.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a configured bind address stays on this host. Decided without a name lookup: a name
 * other than {@code localhost} may resolve to anything, so it counts as reachable from the network.
 */
final class Loopback {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Loopback() {}

  static boolean is(String host) {
    String h = host.trim();
    if (h.toLowerCase(Locale.ROOT).equals("localhost")) return true;
    if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
    if (!IPV4.matcher(h).matches() && !h.contains(":")) return false;
    try {
      // A literal: parsed, never looked up.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
