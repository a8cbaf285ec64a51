package io.piri.db.core;

/** A failure that ends the process with a given exit code and a one-line message (contract §1). */
public final class ExitException extends RuntimeException {
  public static final int FAILED = 1;
  public static final int BAD_CONFIG = 2;
  public static final int BACKEND_MISMATCH = 3;
  public static final int REQUEST_FAILED = 4;

  private final int exitCode;

  public ExitException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ExitException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
