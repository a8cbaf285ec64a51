package io.piri.db.scheduler;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Claims that found nothing and wait ({@code wait_ms}) for a task to become runnable. A wake-up
 * makes each matching waiter try its claim again; the deadline answers it with an empty list.
 * {@link #seq()} changes with every wake-up, so a claim that was running meanwhile tries again
 * instead of parking past an event it could not see. Used on the store's context only.
 */
final class ClaimWaiters {
  private final Vertx vertx;
  private final Set<Waiter> parked = new LinkedHashSet<>();
  private long seq;
  private boolean stopped;

  private final class Waiter {
    final String session;
    final Set<String> names;
    final Runnable retry;
    final Runnable giveUp;
    long timer;

    Waiter(String session, Set<String> names, Runnable retry, Runnable giveUp) {
      this.session = session;
      this.names = names;
      this.retry = retry;
      this.giveUp = giveUp;
    }
  }

  ClaimWaiters(Vertx vertx) {
    this.vertx = vertx;
  }

  long seq() {
    return seq;
  }

  boolean stopped() {
    return stopped;
  }

  int size() {
    return parked.size();
  }

  /** Waits until a wake-up (then {@code retry}) or {@code deadline} (then {@code giveUp}). */
  void park(String session, Set<String> names, long deadline, Runnable retry, Runnable giveUp) {
    if (stopped) {
      giveUp.run();
      return;
    }
    Waiter w = new Waiter(session, names, retry, giveUp);
    w.timer = vertx.setTimer(Math.max(1, deadline - System.currentTimeMillis()), t -> {
      if (parked.remove(w)) w.giveUp.run();
    });
    parked.add(w);
  }

  /** A task of type {@code name} became runnable. */
  void wake(String name) {
    seq++;
    wakeIf(w -> w.names.contains(name));
  }

  /** Something changed that any waiter may care about (a release, a retry wait over, a lost notification). */
  void wakeAll() {
    seq++;
    wakeIf(w -> true);
  }

  /** The session closed: its waiters try again and learn so. */
  void wakeSession(String session) {
    seq++;
    wakeIf(w -> w.session.equals(session));
  }

  /** The store stops: every waiter is answered at once (an empty list) and none parks again. */
  void stop() {
    stopped = true;
    seq++;
    List<Waiter> all = new ArrayList<>(parked);
    parked.clear();
    for (Waiter w : all) {
      vertx.cancelTimer(w.timer);
      w.giveUp.run();
    }
  }

  private void wakeIf(java.util.function.Predicate<Waiter> match) {
    List<Waiter> woken = new ArrayList<>();
    for (Waiter w : parked) {
      if (match.test(w)) woken.add(w);
    }
    for (Waiter w : woken) {
      parked.remove(w);
      vertx.cancelTimer(w.timer);
      w.retry.run();
    }
  }
}
