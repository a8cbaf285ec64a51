package io.piri.db.console;

/**
 * Who sent a request: a token's name and role, how it was presented, or nobody ({@link
 * #ANONYMOUS}, who may read when {@code console.anonymous_read} is on).
 */
record Principal(String name, Role role, Via via) {
  enum Via { NONE, BEARER, COOKIE }

  static final Principal ANONYMOUS = new Principal("anonymous", Role.VIEWER, Via.NONE);

  boolean anonymous() {
    return via == Via.NONE;
  }
}
