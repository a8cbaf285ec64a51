package io.piri.db.client.task;

import java.util.Objects;

/** What one run of a task came to: {@code done}, {@code failed(error)} or {@code deferred}. */
public final class Outcome {
  /** The three outcomes of task-complete. */
  public enum Kind {
    DONE("done"), FAILED("failed"), DEFERRED("deferred");

    final String wire;

    Kind(String wire) {
      this.wire = wire;
    }
  }

  private final Kind kind;
  private final String error;

  private Outcome(Kind kind, String error) {
    this.kind = kind;
    this.error = error;
  }

  /** The work is finished; the task is deleted. */
  public static Outcome done() {
    return new Outcome(Kind.DONE, null);
  }

  /** Finished, with an error worth keeping (history: {@code non-failing error: ...}). */
  public static Outcome done(String nonFailingError) {
    return new Outcome(Kind.DONE, nonFailingError);
  }

  /** The run failed: retried after the type's wait until max_failures, then dropped. */
  public static Outcome failed(String error) {
    return new Outcome(Kind.FAILED, error);
  }

  public static Outcome failed(Throwable error) {
    String m = error.getMessage();
    return new Outcome(Kind.FAILED, m == null || m.isEmpty() ? error.getClass().getSimpleName() : m);
  }

  /** Not now (e.g. gas too high): runnable again after the type's wait, without counting a failure. */
  public static Outcome deferred() {
    return new Outcome(Kind.DEFERRED, null);
  }

  public static Outcome deferred(String reason) {
    return new Outcome(Kind.DEFERRED, reason);
  }

  public Kind kind() {
    return kind;
  }

  /** The error or reason, or null. */
  public String error() {
    return error;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outcome other && other.kind == kind && Objects.equals(other.error, error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, error);
  }

  @Override
  public String toString() {
    return error == null ? kind.wire : kind.wire + "(" + error + ")";
  }
}
