package io.piri.db.console;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Console logins: a random session id (the cookie) mapped to the token it was opened with. Kept
 * in memory, so a restart logs everyone out; a session ends after {@code console.session_ttl}
 * without a request. Used from the HTTP endpoint's event loop only.
 */
final class Sessions {
  static final int MAX = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  record Session(String tokenSha256, long expiresAt) {}

  private final Map<String, Session> byId = new HashMap<>();
  private final long ttlMs;
  private final LongSupplier clock;

  Sessions(long ttlMs, LongSupplier clock) {
    this.ttlMs = ttlMs;
    this.clock = clock;
  }

  /** Opens a session for a token (by its hash) and returns the new session id. */
  String open(String tokenSha256) {
    long now = clock.getAsLong();
    if (byId.size() >= MAX) sweep(now);
    if (byId.size() >= MAX) byId.remove(oldest());
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byId.put(id, new Session(tokenSha256, now + ttlMs));
    return id;
  }

  /** The live session with this id, its expiry pushed back; null when unknown or expired. */
  Session touch(String id) {
    Session s = byId.get(id);
    if (s == null) return null;
    long now = clock.getAsLong();
    if (s.expiresAt() <= now) {
      byId.remove(id);
      return null;
    }
    Session renewed = new Session(s.tokenSha256(), now + ttlMs);
    byId.put(id, renewed);
    return renewed;
  }

  void close(String id) {
    byId.remove(id);
  }

  int size() {
    return byId.size();
  }

  private void sweep(long now) {
    byId.values().removeIf(s -> s.expiresAt() <= now);
  }

  private String oldest() {
    String oldest = null;
    long at = Long.MAX_VALUE;
    for (Iterator<Map.Entry<String, Session>> it = byId.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Session> e = it.next();
      if (e.getValue().expiresAt() < at) {
        at = e.getValue().expiresAt();
        oldest = e.getKey();
      }
    }
    return oldest;
  }
}
