package io.piri.db.core;

/**
 * A failure of a store's database, as each backend translates its driver's errors (PostgreSQL by
 * SQLSTATE, SQLite by result code): the kind says what happened in terms that need no dialect.
 * The message is the database's own reason, without the store's name.
 */
public final class DbException extends RuntimeException {
  public enum Kind {
    /** A unique or primary-key rule refused a row. */
    UNIQUE_VIOLATION,
    /** A foreign key named a row that does not exist (or still has rows pointing at it). */
    FOREIGN_KEY_VIOLATION,
    /** Another holder of a lock did not let go in time. */
    BUSY,
    /** The disk or file is full. */
    FULL,
    /** The database takes no writes (a read-only file or server). */
    READ_ONLY,
    /** The database did not answer in time. */
    TIMEOUT,
    /** The database cannot be reached, is closed, or cannot work (I/O error, shutdown). */
    UNAVAILABLE,
    /** Anything else: a statement or schema error, a rule not named above. */
    OTHER;

    /** True for the kinds that say the database cannot take the request now, not that the request is wrong. */
    public boolean unavailable() {
      return this == BUSY || this == FULL || this == READ_ONLY || this == TIMEOUT || this == UNAVAILABLE;
    }
  }

  private final Kind kind;

  public DbException(Kind kind, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return "DbException(" + kind + "): " + getMessage();
  }
}
