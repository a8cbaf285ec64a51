package io.piri.db.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Claims that wait for work ({@code wait_ms}), per queue, without polling: they are retried when
 * a notification says a job became claimable, or when a timer set to the queue's next known due
 * time (delay, retry, lease end) fires. Leases are not notified, so a claim that parks asks the
 * database when the queue's next job becomes due, even when a timer is already set: a lease
 * handed out since (here or on another instance) may end first. Confined to the store
 * verticle's event loop.
 */
final class Waiters {
  private final Vertx vertx;
  private final Map<String, Queue> queues = new HashMap<>();
  private boolean closed;

  /** One claim attempt against the database. */
  interface Attempt extends Supplier<Future<List<JsonObject>>> {}

  /**
   * When the queue's next job becomes due after a claim found nothing ({@code at}, null if no
   * job is due later), and whether the queue holds no job at all ({@code empty}).
   */
  record Due(Long at, boolean empty) {}

  private static final class Queue {
    final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    long seq;
    // The seq at which the queue was seen holding nothing at all (nothing ready, nothing due
    // later); until a notification moves seq on, claims can wait without asking the database.
    long emptyAt = -1;
    long timerId = -1;
    long timerAt = Long.MAX_VALUE;
  }

  private static final class Waiter {
    final Attempt attempt;
    final LongFunction<Future<Due>> nextDue;
    final long deadline;
    final Promise<List<JsonObject>> promise = Promise.promise();
    long deadlineTimer = -1;
    long attemptedAt;

    Waiter(Attempt attempt, LongFunction<Future<Due>> nextDue, long deadline) {
      this.attempt = attempt;
      this.nextDue = nextDue;
      this.deadline = deadline;
    }
  }

  Waiters(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Runs {@code attempt}; when it finds nothing, waits up to {@code waitMs} for work and retries.
   * {@code nextDue.apply(since)} tells when the queue's next job becomes due after {@code since},
   * the time the attempt that found nothing started (so a job due in between is not missed).
   */
  Future<List<JsonObject>> claim(String queue, long waitMs, Attempt attempt, LongFunction<Future<Due>> nextDue) {
    Waiter w = new Waiter(attempt, nextDue, System.currentTimeMillis() + waitMs);
    run(queue, w);
    return w.promise.future();
  }

  private void run(String queue, Waiter w) {
    Queue q = queue(queue);
    long seqBefore = q.seq;
    if (q.emptyAt == seqBefore && !closed && System.currentTimeMillis() < w.deadline) {
      park(queue, q, w, seqBefore);
      return;
    }
    w.attemptedAt = System.currentTimeMillis();
    w.attempt.get().onComplete(ar -> {
      if (ar.failed() || !ar.result().isEmpty() || closed || System.currentTimeMillis() >= w.deadline) {
        w.promise.handle(ar);
      } else if (q.seq != seqBefore) {
        run(queue, w);
      } else {
        park(queue, q, w, seqBefore);
      }
    });
  }

  /**
   * Waits for a wake-up; asks for the queue's next due time (the queue timer keeps the earliest)
   * unless the queue is known to hold no job at all. Only a queue without any job counts as
   * empty: a job that is neither ready nor due later (held by a claim still in flight on another
   * instance, or exhausted and awaiting the reaper) must not stop claims from looking again.
   */
  private void park(String queue, Queue q, Waiter w, long seqBefore) {
    q.waiting.add(w);
    w.deadlineTimer = vertx.setTimer(Math.max(1, w.deadline - System.currentTimeMillis()), t -> {
      if (q.waiting.remove(w)) w.promise.tryComplete(List.of());
    });
    if (q.emptyAt != seqBefore) {
      w.nextDue.apply(w.attemptedAt).onSuccess(due -> {
        if (due.at() != null) {
          dueAt(queue, due.at());
        } else if (due.empty() && q.seq == seqBefore) {
          q.emptyAt = seqBefore;
        }
      });
    }
  }

  /** Something became claimable at {@code runAt} in {@code queue} (now or later). */
  void notified(String queue, long runAt) {
    Queue q = queue(queue);
    q.seq++;
    if (runAt <= System.currentTimeMillis()) {
      wakeAll(queue, q);
    } else {
      dueAt(queue, runAt);
    }
  }

  /** Notifications may have been missed: every waiter looks again. */
  void notifiedAll() {
    for (Map.Entry<String, Queue> e : queues.entrySet()) {
      e.getValue().seq++;
      wakeAll(e.getKey(), e.getValue());
    }
  }

  private void dueAt(String queue, long at) {
    Queue q = queue(queue);
    if (q.waiting.isEmpty() || at >= q.timerAt) return;
    if (q.timerId != -1) vertx.cancelTimer(q.timerId);
    q.timerAt = at;
    q.timerId = vertx.setTimer(Math.max(1, at - System.currentTimeMillis()), t -> {
      q.timerId = -1;
      q.timerAt = Long.MAX_VALUE;
      wakeAll(queue, q);
    });
  }

  private void wakeAll(String queue, Queue q) {
    Waiter w;
    while ((w = q.waiting.poll()) != null) {
      vertx.cancelTimer(w.deadlineTimer);
      run(queue, w);
    }
  }

  /** The store is stopping: every waiting claim is answered now, with no job. */
  void closeAll() {
    closed = true;
    for (Queue q : queues.values()) {
      if (q.timerId != -1) vertx.cancelTimer(q.timerId);
      Waiter w;
      while ((w = q.waiting.poll()) != null) {
        vertx.cancelTimer(w.deadlineTimer);
        w.promise.tryComplete(List.of());
      }
    }
  }

  private Queue queue(String name) {
    return queues.computeIfAbsent(name, n -> new Queue());
  }
}
