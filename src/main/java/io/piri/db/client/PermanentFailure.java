package io.piri.db.client;

/** Fail a job without retrying it: it goes to the dead-letter queue with reason permanent_error. */
public final class PermanentFailure extends RuntimeException {
  public PermanentFailure(String message) {
    super(message);
  }

  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when {@code t} or any of its causes is a PermanentFailure. */
  static boolean in(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof PermanentFailure) return true;
    }
    return false;
  }
}
