package io.piri.db.core;

/** piri-db's own version, as {@code --version} and the console show it. */
public final class Version {
  public static final String PIRI_DB = "0.1.0";

  private Version() {}
}
