package io.piri.db.console;

import java.util.Locale;

/** What a console credential may do; each role may do what the ones before it may. */
public enum Role {
  /** Reads everything; payloads stay redacted. */
  VIEWER,
  /** Also requeues and purges dead letters and reveals a job's payload. */
  OPERATOR,
  /** Also lists and revokes tokens. */
  ADMIN;

  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code id}; IllegalArgumentException naming the choices otherwise. */
  public static Role parse(String id) {
    for (Role r : values()) {
      if (r.id().equals(id)) return r;
    }
    throw new IllegalArgumentException("role must be viewer, operator or admin, got '" + id + "'");
  }
}
