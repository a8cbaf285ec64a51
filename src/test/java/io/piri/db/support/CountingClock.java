package io.piri.db.support;

import io.piri.db.core.Clock;
import io.vertx.core.Handler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A clock that counts the one-shot timers set on it: how a test that moves time itself learns
 * that the code it drives has set its next timer (a bulk batch its pause), and may move time on.
 */
public final class CountingClock implements Clock {
  private final Clock clock;
  private long set;

  public CountingClock(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long now() {
    return clock.now();
  }

  @Override
  public long setTimer(long delayMs, Handler<Long> handler) {
    long id = clock.setTimer(delayMs, handler);
    synchronized (this) {
      set++;
      notifyAll();
    }
    return id;
  }

  @Override
  public long setPeriodic(long periodMs, Handler<Long> handler) {
    return clock.setPeriodic(periodMs, handler);
  }

  @Override
  public boolean cancelTimer(long id) {
    return clock.cancelTimer(id);
  }

  /** How many one-shot timers were set so far. */
  public synchronized long set() {
    return set;
  }

  /**
   * Waits until more than {@code n} one-shot timers were set in all, for at most {@code limit};
   * whether they were.
   */
  public synchronized boolean awaitMoreThan(long n, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (set <= n) {
      long left = end - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
