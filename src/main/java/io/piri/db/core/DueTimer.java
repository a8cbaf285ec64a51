package io.piri.db.core;

/**
 * One timer at the earliest time asked of it: {@link #at} arms it, or moves it earlier, never
 * later; once it fires it is unarmed until asked again. It fires just after the time asked
 * (a row due at {@code at} is due when it fires). Confined to the context that uses it.
 */
public final class DueTimer {
  private final Clock clock;
  private final Runnable onDue;
  private long timerId = -1;
  private long armedAt = Long.MAX_VALUE;

  public DueTimer(Clock clock, Runnable onDue) {
    this.clock = clock;
    this.onDue = onDue;
  }

  /** Fires at {@code at} unless it is armed for an earlier time already; a past time fires at once. */
  public void at(long at) {
    if (at >= armedAt) return;
    cancel();
    armedAt = at;
    timerId = clock.setTimer(Math.max(1, at - clock.now() + 1), t -> {
      timerId = -1;
      armedAt = Long.MAX_VALUE;
      onDue.run();
    });
  }

  /** Fires {@code delayMs} from now unless armed for earlier. */
  public void in(long delayMs) {
    at(clock.now() + delayMs);
  }

  public boolean armed() {
    return timerId != -1;
  }

  /** Whether it is armed for {@code t} or earlier: what it waits for is due by then. */
  public boolean dueBy(long t) {
    return timerId != -1 && armedAt <= t;
  }

  public void cancel() {
    if (timerId != -1) clock.cancelTimer(timerId);
    timerId = -1;
    armedAt = Long.MAX_VALUE;
  }
}
