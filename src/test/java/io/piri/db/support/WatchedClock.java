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
 * A clock, watched: how a test or a benchmark learns that the code it drives has set the timer it
 * waits for (a claim's deadline when it starts waiting in its store, a bulk batch's pause when it
 * commits), and that nothing else is due (no other one-shot timer is set: a flush, a reaper, a
 * due time).
 */
public final class WatchedClock implements Clock {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private final Clock clock;
  private final LongPredicate watched;
  private final Set<Long> others = new HashSet<>();
  private long count;

  /** The system clock; counts the timers whose delay matches {@code watched}. */
  public WatchedClock(Vertx vertx, LongPredicate watched) {
    this(Clock.system(vertx), watched);
  }

  public WatchedClock(Clock clock, LongPredicate watched) {
    this.clock = clock;
    this.watched = watched;
  }

  @Override
  public long now() {
    return clock.now();
  }

  @Override
  public long setTimer(long delayMs, Handler<Long> handler) {
    if (watched.test(delayMs)) {
      counted();
      return clock.setTimer(delayMs, handler);
    }
    synchronized (this) {
      long id = clock.setTimer(delayMs, t -> {
        done(t);
        handler.handle(t);
      });
      others.add(id);
      return id;
    }
  }

  @Override
  public long setPeriodic(long periodMs, Handler<Long> handler) {
    return clock.setPeriodic(periodMs, handler);
  }

  @Override
  public boolean cancelTimer(long id) {
    done(id);
    return clock.cancelTimer(id);
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
    if (!awaitCount(n, LIMIT)) throw new AssertionError(n + " timers were not set within " + LIMIT + " (" + count + " were)");
  }

  /** Waits at most {@code limit} until {@code n} watched timers have been set in all; whether they were. */
  public synchronized boolean awaitCount(long n, Duration limit) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (count < n) {
      long left = end - System.nanoTime();
      if (left <= 0) return false;
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
