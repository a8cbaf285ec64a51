package io.piri.db.support;

import io.piri.db.core.Clock;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * The system clock, watched: how a benchmark, which runs in real time, learns that the code it
 * drives has started to wait (a claim's deadline is set when it starts waiting in its store), and
 * that nothing else is due (no other one-shot timer is set: a flush, a reaper, a due time).
 */
public final class WatchedClock implements Clock {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private final Clock system;
  private final LongPredicate watched;
  private final Set<Long> others = new HashSet<>();
  private long count;

  /** Counts the timers whose delay matches {@code watched}. */
  public WatchedClock(Vertx vertx, LongPredicate watched) {
    this.system = Clock.system(vertx);
    this.watched = watched;
  }

  @Override
  public long now() {
    return system.now();
  }

  @Override
  public long setTimer(long delayMs, Handler<Long> handler) {
    if (watched.test(delayMs)) {
      counted();
      return system.setTimer(delayMs, handler);
    }
    synchronized (this) {
      long id = system.setTimer(delayMs, t -> {
        done(t);
        handler.handle(t);
      });
      others.add(id);
      return id;
    }
  }

  @Override
  public long setPeriodic(long periodMs, Handler<Long> handler) {
    return system.setPeriodic(periodMs, handler);
  }

  @Override
  public boolean cancelTimer(long id) {
    done(id);
    return system.cancelTimer(id);
  }

  private synchronized void counted() {
    count++;
    notifyAll();
  }

  private synchronized void done(long id) {
    if (others.remove(id)) notifyAll();
  }

  /** Waits until no one-shot timer but the watched ones is set. */
  public synchronized void awaitNoOtherTimers() throws InterruptedException {
    long end = System.nanoTime() + LIMIT.toNanos();
    while (!others.isEmpty()) {
      long left = end - System.nanoTime();
      if (left <= 0) throw new AssertionError(others.size() + " other timers still set after " + LIMIT);
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** The watched timers set so far. */
  public synchronized long count() {
    return count;
  }

  /** Waits until {@code n} watched timers have been set in all. */
  public synchronized void awaitCount(long n) throws InterruptedException {
    long end = System.nanoTime() + LIMIT.toNanos();
    while (count < n) {
      long left = end - System.nanoTime();
      if (left <= 0) throw new AssertionError(n + " timers were not set within " + LIMIT + " (" + count + " were)");
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
