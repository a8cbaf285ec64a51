package io.piri.db.config;

import java.util.Locale;

/** The database backend a node keeps its four stores in. */
public enum BackendType {
  SQLITE, POSTGRES;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BackendType parse(String text) {
    for (BackendType t : values()) {
      if (t.id().equals(text)) return t;
    }
    throw new IllegalArgumentException("unknown backend '" + text + "' (use sqlite or postgres)");
  }
}
