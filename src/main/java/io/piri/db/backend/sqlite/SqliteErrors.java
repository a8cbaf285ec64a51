package io.piri.db.backend.sqlite;

import io.piri.db.core.DbException.Kind;
import io.piri.db.core.DbException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** SQLite's failures as {@link DbException}s, by result code (the extended one where it says more). */
final class SqliteErrors {
  private SqliteErrors() {}

  /** The database failure in {@code e}, or {@code e} itself when it is not one (the work's own failure). */
  static Throwable translate(Throwable e) {
    if (e instanceof DbException) return e;
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException sql) return of(sql);
    }
    return e;
  }

  static DbException of(SQLException e) {
    Kind kind = e instanceof SQLiteException s ? kind(s.getResultCode()) : Kind.OTHER;
    return new DbException(kind, firstLine(e.getMessage()), e);
  }

  private static Kind kind(SQLiteErrorCode code) {
    if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
      return Kind.UNIQUE_VIOLATION;
    }
    if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) return Kind.FOREIGN_KEY_VIOLATION;
    int primary = code.code & 0xff;
    if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) return Kind.BUSY;
    if (primary == SQLiteErrorCode.SQLITE_FULL.code) return Kind.FULL;
    // Only a read's progress handler interrupts a statement: at its deadline.
    if (primary == SQLiteErrorCode.SQLITE_INTERRUPT.code) return Kind.TIMEOUT;
    if (primary == SQLiteErrorCode.SQLITE_READONLY.code) return Kind.READ_ONLY;
    if (primary == SQLiteErrorCode.SQLITE_IOERR.code || primary == SQLiteErrorCode.SQLITE_CORRUPT.code
        || primary == SQLiteErrorCode.SQLITE_CANTOPEN.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code) {
      return Kind.UNAVAILABLE;
    }
    return Kind.OTHER;
  }

  private static String firstLine(String s) {
    return s == null ? "database error" : s.lines().findFirst().orElse(s);
  }
}
