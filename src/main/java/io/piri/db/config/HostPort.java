package io.piri.db.config;

/** A {@code host:port} pair from the configuration ({@code cluster.members}). */
public record HostPort(String host, int port) {

  /**
   * Parses {@code host:port} (an IPv6 host in brackets: {@code [::1]:5701}); a bad entry is a
   * {@link ConfigException} naming {@code key} and the entry.
   */
  public static HostPort parse(String key, String text) {
    String s = text == null ? "" : text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) throw bad(key, text);
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    // An unbracketed IPv6 address would be ambiguous: "::1:5701" has no one reading.
    if (host.isEmpty() || host.contains(":") && !s.startsWith("[") || host.chars().anyMatch(Character::isWhitespace)) {
      throw bad(key, text);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw bad(key, text);
    }
    if (port < 1 || port > 65535) throw bad(key, text);
    return new HostPort(host, port);
  }

  private static ConfigException bad(String key, String text) {
    return new ConfigException(key, "entries must be host:port with a port 1..65535, got \"" + text + "\"");
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
