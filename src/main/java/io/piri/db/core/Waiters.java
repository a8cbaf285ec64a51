package io.piri.db.core;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Claims that wait for work ({@code wait_ms}) without polling, for queue claims and task claims
 * alike. A claim names its keys (a queue; task types) and runs its attempt; when the attempt finds
 * nothing, the claim waits in memory until a wake-up of one of its keys, a due time of one of them
 * (a {@link DueTimer} per key), or its own deadline, which answers it with nothing. Every wake-up
 * moves its keys' counters on, so a claim whose attempt was running meanwhile tries again instead
 * of waiting past work it could not see.
 *
 * <p>Notifications between instances carry {@code "<key> <at>"}: work of {@code key} becomes
 * claimable at {@code at} (epoch ms; now or earlier means now); the key {@value #ANY} stands for
 * every key. Confined to the store's context.
 */
public final class Waiters {
  /** The key of a notification meant for every key. */
  public static final String ANY = "*";

  private final Clock clock;
  private final Map<String, Key> keys = new HashMap<>();
  private final Set<Waiter<?>> parked = new LinkedHashSet<>();
  /** Moves on with every wake-up that is not of one key (all keys, a tag). */
  private long epoch;
  private boolean closed;

  /**
   * Where a claim that found nothing stands: when its keys' next work becomes due ({@code at},
   * null if nothing is due later), and whether they hold nothing at all ({@code empty}).
   */
  public record Due(Long at, boolean empty) {}

  /** A wake-up read from a notification: {@code key} (or {@link #ANY}) has work at {@code at}. */
  public record Wakeup(String key, long at) {
    public String payload() {
      return key + " " + at;
    }

    /** The wake-up in {@code payload}, or null when the payload is not one. */
    public static Wakeup parse(String payload) {
      if (payload == null) return null;
      int space = payload.lastIndexOf(' ');
      if (space <= 0) return null;
      try {
        return new Wakeup(payload.substring(0, space), Long.parseLong(payload.substring(space + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private final class Key {
    final Set<Waiter<?>> waiting = new LinkedHashSet<>();
    final DueTimer due;
    long seq;
    // The seq at which the key was seen holding nothing at all (nothing ready, nothing due later);
    // until a wake-up moves seq on, its claims can wait without asking the database.
    long emptyAt = -1;
    // Work of a held key is not handed out (a paused queue): its claims wait without looking.
    boolean held;

    Key() {
      this.due = new DueTimer(clock, () -> wake(this));
    }
  }

  private static final class Waiter<T> {
    final List<Key> keys;
    final Object tag;
    final Supplier<Future<List<T>>> attempt;
    final LongFunction<Future<Due>> nextDue;
    final long deadline;
    final Promise<List<T>> promise = Promise.promise();
    long deadlineTimer = -1;
    long attemptedAt;

    Waiter(List<Key> keys, Object tag, Supplier<Future<List<T>>> attempt, LongFunction<Future<Due>> nextDue, long deadline) {
      this.keys = keys;
      this.tag = tag;
      this.attempt = attempt;
      this.nextDue = nextDue;
      this.deadline = deadline;
    }
  }

  public Waiters(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs {@code attempt}; while it finds nothing, waits up to {@code waitMs} for work of one of
   * {@code keys} and tries again. {@code tag} (may be null) lets {@link #wakeTagged} reach the
   * claim. {@code nextDue} (may be null, when due times are announced some other way) is asked,
   * when the claim starts to wait, when its keys' next work becomes due after {@code since}, the
   * time the attempt that found nothing started (so that work due in between is not missed).
   */
  public <T> Future<List<T>> claim(Collection<String> keys, Object tag, long waitMs, Supplier<Future<List<T>>> attempt,
      LongFunction<Future<Due>> nextDue) {
    List<Key> ks = new ArrayList<>();
    for (String k : keys) ks.add(key(k));
    Waiter<T> w = new Waiter<>(ks, tag, attempt, nextDue, clock.now() + waitMs);
    run(w);
    return w.promise.future();
  }

  private <T> void run(Waiter<T> w) {
    long stamp = stamp(w);
    if ((knownEmpty(w) || held(w)) && !closed && clock.now() < w.deadline) {
      park(w, stamp);
      return;
    }
    w.attemptedAt = clock.now();
    Future<List<T>> found;
    try {
      found = w.attempt.get();
    } catch (RuntimeException e) {
      found = Future.failedFuture(e);
    }
    found.onComplete(ar -> {
      if (ar.failed() || !ar.result().isEmpty() || closed || clock.now() >= w.deadline) {
        if (ar.succeeded()) w.promise.tryComplete(ar.result());
        else w.promise.tryFail(ar.cause());
      } else if (stamp(w) != stamp) {
        run(w);
      } else {
        park(w, stamp);
      }
    });
  }

  /** Waits for a wake-up; asks for the next due time unless its keys are known to hold nothing. */
  private <T> void park(Waiter<T> w, long stamp) {
    parked.add(w);
    for (Key k : w.keys) k.waiting.add(w);
    w.deadlineTimer = clock.setTimer(Math.max(1, w.deadline - clock.now()), t -> {
      if (unpark(w)) w.promise.tryComplete(List.of());
    });
    if (w.nextDue == null || knownEmpty(w) || held(w)) return;
    w.nextDue.apply(w.attemptedAt).onSuccess(due -> {
      if (due.at() != null) {
        for (Key k : w.keys) dueAt(k, due.at());
      } else if (due.empty() && stamp(w) == stamp) {
        for (Key k : w.keys) k.emptyAt = k.seq;
      }
    });
  }

  /**
   * Only a key without any work counts as empty: work that is neither ready nor due later (held
   * by an attempt still running on another instance, say) must not stop claims from looking.
   */
  private boolean knownEmpty(Waiter<?> w) {
    for (Key k : w.keys) {
      if (k.emptyAt != k.seq) return false;
    }
    return true;
  }

  /** Every key of the claim is held: looking could find nothing. */
  private boolean held(Waiter<?> w) {
    for (Key k : w.keys) {
      if (!k.held) return false;
    }
    return true;
  }

  /**
   * Claims of {@code key} stop looking until {@link #release}: they wait in memory, woken by
   * nothing but their deadline, whatever is notified meanwhile. A claim looking right now may
   * still find work, unless the work is no longer handed out (its attempt knows).
   */
  public void hold(String key) {
    key(key).held = true;
  }

  /** Claims of {@code key} look again, now. */
  public void release(String key) {
    Key k = key(key);
    if (!k.held) return;
    k.held = false;
    k.seq++;
    wake(k);
  }

  private long stamp(Waiter<?> w) {
    long s = epoch;
    for (Key k : w.keys) s += k.seq;
    return s;
  }

  private boolean unpark(Waiter<?> w) {
    if (!parked.remove(w)) return false;
    for (Key k : w.keys) k.waiting.remove(w);
    clock.cancelTimer(w.deadlineTimer);
    return true;
  }

  /** A notification: {@code null} (notifications may have been lost) wakes every claim. */
  public void notified(String payload) {
    Wakeup wakeup = Wakeup.parse(payload);
    if (wakeup == null) {
      wakeAll();
    } else {
      notified(wakeup.key(), wakeup.at());
    }
  }

  /** Work of {@code key} ({@link #ANY}: of every key) is claimable at {@code at}: now, or later. */
  public void notified(String key, long at) {
    if (ANY.equals(key)) {
      if (at <= clock.now()) {
        wakeAll();
      } else {
        epoch++;
        for (Key k : keys.values()) k.seq++;
        for (Key k : keys.values()) dueAt(k, at);
      }
      return;
    }
    Key k = key(key);
    k.seq++;
    if (at <= clock.now()) {
      wake(k);
    } else {
      dueAt(k, at);
    }
  }

  /**
   * Claims of {@code key} look again at {@code at}. Only while some wait: a claim that starts
   * waiting later asks for the due time itself.
   */
  private void dueAt(Key k, long at) {
    if (!k.waiting.isEmpty()) k.due.at(at);
  }

  /** Every claim looks again (something changed that any of them may care about). */
  public void wakeAll() {
    epoch++;
    for (Key k : keys.values()) k.seq++;
    wakeIf(w -> true);
  }

  /** The claims made with {@code tag} look again. */
  public void wakeTagged(Object tag) {
    epoch++;
    wakeIf(w -> Objects.equals(w.tag, tag));
  }

  private void wake(Key k) {
    for (Waiter<?> w : new ArrayList<>(k.waiting)) {
      if (!held(w) && unpark(w)) run(w);
    }
  }

  private void wakeIf(java.util.function.Predicate<Waiter<?>> match) {
    for (Waiter<?> w : new ArrayList<>(parked)) {
      if (match.test(w) && !held(w) && unpark(w)) run(w);
    }
  }

  /** The claims waiting now. */
  public int waiting() {
    return parked.size();
  }

  /** The store is stopping: every waiting claim is answered now, with nothing, and none waits again. */
  public void close() {
    closed = true;
    for (Key k : keys.values()) k.due.cancel();
    for (Waiter<?> w : new ArrayList<>(parked)) {
      if (unpark(w)) w.promise.tryComplete(List.of());
    }
  }

  private Key key(String name) {
    return keys.computeIfAbsent(name, n -> new Key());
  }
}
