package io.piri.db.support;

import io.piri.db.core.Clock;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * A clock whose time moves only when a test says so: {@link #advance} moves it on and fires the
 * timers that fall due, in due order, each on the context that set it (a timer set outside any
 * context fires on the test's thread), waiting for each handler to return before the next. It
 * starts at the system time of its creation, so stored times look like real ones.
 */
public final class TestClock implements Clock {
  private static final Duration HANDLER_LIMIT = Duration.ofSeconds(30);

  private record Timer(long id, long due, long period, Context context, Handler<Long> handler) {}

  private final TreeSet<Timer> pending = new TreeSet<>(Comparator.comparingLong(Timer::due).thenComparingLong(Timer::id));
  private final Map<Long, Timer> byId = new HashMap<>();
  private long now = System.currentTimeMillis();
  private long nextId = 1;

  @Override
  public synchronized long now() {
    return now;
  }

  @Override
  public long setTimer(long delayMs, Handler<Long> handler) {
    return add(Math.max(1, delayMs), 0, handler);
  }

  @Override
  public long setPeriodic(long periodMs, Handler<Long> handler) {
    long period = Math.max(1, periodMs);
    return add(period, period, handler);
  }

  private synchronized long add(long delay, long period, Handler<Long> handler) {
    Timer t = new Timer(nextId++, now + delay, period, Vertx.currentContext(), handler);
    pending.add(t);
    byId.put(t.id(), t);
    notifyAll();
    return t.id();
  }

  @Override
  public synchronized boolean cancelTimer(long id) {
    Timer t = byId.remove(id);
    if (t == null) return false;
    pending.remove(t);
    return true;
  }

  /** Moves time on by {@code ms}, firing every timer that falls due on the way. From the test's thread only. */
  public void advance(long ms) {
    if (Context.isOnVertxThread()) throw new IllegalStateException("advance the test clock from the test's thread");
    long target;
    synchronized (this) {
      target = now + ms;
    }
    while (true) {
      Timer t;
      synchronized (this) {
        t = pending.isEmpty() ? null : pending.first();
        if (t == null || t.due() > target) {
          now = target;
          return;
        }
        pending.remove(t);
        now = t.due();
        if (t.period() > 0) {
          Timer again = new Timer(t.id(), t.due() + t.period(), t.period(), t.context(), t.handler());
          pending.add(again);
          byId.put(t.id(), again);
        }
      }
      fire(t);
    }
  }

  /** Moves time on to {@code at} (nothing happens if it is past). */
  public void advanceTo(long at) {
    advance(Math.max(0, at - now()));
  }

  private void fire(Timer t) {
    if (t.context() == null) {
      if (stillSet(t)) t.handler().handle(t.id());
      return;
    }
    CountDownLatch ran = new CountDownLatch(1);
    t.context().runOnContext(v -> {
      try {
        if (stillSet(t)) t.handler().handle(t.id());
      } finally {
        ran.countDown();
      }
    });
    try {
      if (!ran.await(HANDLER_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("a timer's handler did not return within " + HANDLER_LIMIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A timer cancelled between falling due and reaching its context does not fire. */
  private synchronized boolean stillSet(Timer t) {
    return t.period() == 0 ? byId.remove(t.id()) != null : byId.containsKey(t.id());
  }

  /**
   * Waits until at least {@code count} timers are set whose due times pass {@code due} (e.g. the
   * deadlines of claims that started waiting). This is how a test knows that the code it drives
   * has reached the point where it waits for time to pass.
   */
  public synchronized void awaitTimers(LongPredicate due, int count) throws InterruptedException {
    long end = System.nanoTime() + HANDLER_LIMIT.toNanos();
    while (count(due) < count) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(count + " such timer(s) were not set within " + HANDLER_LIMIT + "; pending: " + dues());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits until a timer is set to fire at {@code at}. */
  public void awaitTimerAt(long at) throws InterruptedException {
    awaitTimers(d -> d == at, 1);
  }

  /** How many timers are set whose due times pass {@code due}. */
  public synchronized int count(LongPredicate due) {
    int n = 0;
    for (Timer t : pending) {
      if (due.test(t.due())) n++;
    }
    return n;
  }

  /** The due times of the timers set now, earliest first, relative to now. */
  public synchronized String dues() {
    StringBuilder b = new StringBuilder("[");
    for (Timer t : pending) b.append(b.length() > 1 ? ", " : "").append("+").append(t.due() - now).append("ms");
    return b.append("]").toString();
  }
}
