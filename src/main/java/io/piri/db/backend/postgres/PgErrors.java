package io.piri.db.backend.postgres;

import io.piri.db.core.DbException.Kind;
import io.piri.db.core.DbException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** PostgreSQL's failures as {@link DbException}s: by SQLSTATE, and by the client's public exception types. */
final class PgErrors {
  private PgErrors() {}

  /** The database failure in {@code e}, or {@code e} itself when it is not one (the work's own failure). */
  static Throwable translate(Throwable e) {
    if (e instanceof DbException) return e;
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof PgException pg && pg.getSqlState() != null) return of(pg);
      if (c instanceof ClosedConnectionException || c instanceof IOException) return unreachable(c);
      if (c instanceof TimeoutException) {
        return new DbException(Kind.TIMEOUT, "PostgreSQL did not answer in time (" + c.getMessage() + ")", e);
      }
    }
    return e;
  }

  /** A connection could not be had at all: whatever the reason, the database cannot be reached. */
  static DbException unreachable(Throwable e) {
    return new DbException(Kind.UNAVAILABLE, "PostgreSQL cannot be reached (" + e.getMessage() + ")", e);
  }

  private static DbException of(PgException pg) {
    String state = pg.getSqlState();
    Kind kind = switch (state) {
      case "23505" -> Kind.UNIQUE_VIOLATION;
      case "23503" -> Kind.FOREIGN_KEY_VIOLATION;
      case "53100" -> Kind.FULL;
      case "25006" -> Kind.READ_ONLY;
      case "55P03" -> Kind.BUSY;
      case "57014" -> Kind.TIMEOUT;
      default -> state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") ? Kind.UNAVAILABLE : Kind.OTHER;
    };
    String message = kind == Kind.UNAVAILABLE
        ? "PostgreSQL cannot be reached (" + pg.getMessage() + ")"
        : "PostgreSQL: " + pg.getMessage();
    return new DbException(kind, message, pg);
  }
}
