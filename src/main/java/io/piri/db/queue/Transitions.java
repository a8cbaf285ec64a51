package io.piri.db.queue;

import io.piri.db.config.QueueConfig;
import io.piri.db.core.Clock;
import io.piri.db.core.DueTimer;
import io.piri.db.core.RetryBackoff;
import io.piri.db.core.Waiters;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The changes time makes to jobs, written when they fall due: a scheduled job whose run_at has come
 * becomes ready, a lease that ran out becomes ready again or, on the last attempt, a dead letter.
 * One {@link DueTimer} per queue, at the earliest due time this instance knows: from its own
 * writes (delays, retries, leases handed out or extended), from other instances' notifications,
 * and from the due-time lookups of its waiting claims (which see every instance's leases). When it
 * fires, one transaction ({@link QueueEngine#pass}) writes what is due and reads the queue's next
 * due time, at which the timer is set again; a queue with nothing due later has no timer, so an
 * idle store writes nothing. Confined to the store's context.
 */
final class Transitions {
  private static final Logger LOG = Logger.getLogger(Transitions.class.getName());
  /**
   * Passes a read waits for, at most, per queue: enough for every due time that falls within the
   * read's own moment, few enough that a burst (a million delayed jobs due together) does not hold
   * it up; it then shows what is written so far.
   */
  private static final int SETTLE_PASSES = 16;

  private final Clock clock;
  private final QueueEngine engine;
  private final QueueMeters meters;
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final RetryBackoff retry = new RetryBackoff(100, 5_000);
  private boolean closed;

  private final class Queue {
    final QueueConfig config;
    final DueTimer timer;
    /** The pass being written, or null. */
    Future<Void> inFlight;
    /** Another pass is wanted once this one ends. */
    boolean again;

    Queue(QueueConfig config) {
      this.config = config;
      this.timer = new DueTimer(clock, () -> run(this));
    }
  }

  Transitions(Clock clock, QueueEngine engine, Collection<QueueConfig> configs, QueueMeters meters) {
    this.clock = clock;
    this.engine = engine;
    this.meters = meters;
    configs.forEach(q -> queues.put(q.name(), new Queue(q)));
  }

  /**
   * One pass per queue, one after the other, before the store answers: what fell due while no
   * store was running (a crash, a stop) is written, and each queue's timer set.
   */
  Future<Void> start() {
    Future<Void> chain = Future.succeededFuture();
    for (Queue q : queues.values()) {
      chain = chain.compose(v -> engine.pass(q.config).map(p -> {
        applied(q, p);
        if (q.again) {
          q.again = false;
          run(q);
        }
        return null;
      }));
    }
    return chain;
  }

  /** Something of {@code queue} falls due at {@code at} (a delay, a retry, a lease's end). */
  void dueAt(String queue, long at) {
    Queue q = queues.get(queue);
    if (q != null && !closed) q.timer.at(at);
  }

  /**
   * A notification of the store's channel ({@link Waiters.Wakeup}): a time to come is a due time;
   * work claimable now needs no change. Notifications that may have been lost (null) make every
   * queue look again.
   */
  void notified(String payload) {
    Waiters.Wakeup w = Waiters.Wakeup.parse(payload);
    if (w == null) {
      queues.values().forEach(this::run);
    } else if (w.at() > clock.now()) {
      if (Waiters.ANY.equals(w.key())) {
        queues.keySet().forEach(q -> dueAt(q, w.at()));
      } else {
        dueAt(w.key(), w.at());
      }
    }
  }

  /**
   * Completes once what is due of these queues by now, as far as this instance knows, is written:
   * a timer due but not yet fired runs its pass now, and a pass being written is waited for. Reads
   * that report states (stats, jobs) wait for it, so that they never show a change this instance
   * knows to be due as not made.
   */
  Future<Void> settle(Collection<QueueConfig> asked) {
    List<Future<Void>> passes = new ArrayList<>();
    for (QueueConfig c : asked) {
      Queue q = queues.get(c.name());
      if (q != null) passes.add(settle(q, SETTLE_PASSES));
    }
    return Future.join(passes).otherwiseEmpty().mapEmpty();
  }

  /** A pass that ends may set the timer for a time already past: that one is waited for too. */
  private Future<Void> settle(Queue q, int passes) {
    if (q.timer.dueBy(clock.now())) {
      q.timer.cancel();
      run(q);
    }
    if (q.inFlight == null || passes == 0) return Future.succeededFuture();
    return q.inFlight.compose(v -> settle(q, passes - 1));
  }

  /**
   * Completes once the pass being written for {@code queue}, if any, has ended. A claim waits for
   * it: the rows a pass is changing are locked until it commits, and a claim would skip them
   * (PostgreSQL's SKIP LOCKED) and take later jobs first, or none.
   */
  Future<Void> passed(String queue) {
    Queue q = queues.get(queue);
    return q == null || q.inFlight == null ? Future.succeededFuture() : q.inFlight;
  }

  /** The store is stopping: no timer fires and no pass starts any more. */
  void close() {
    closed = true;
    queues.values().forEach(q -> q.timer.cancel());
  }

  private void run(Queue q) {
    if (closed) return;
    if (q.inFlight != null) {
      q.again = true;
      return;
    }
    Future<Void> pass = engine.pass(q.config).transform(ar -> {
      if (ar.succeeded()) {
        applied(q, ar.result());
      } else if (!closed) {
        long wait = retry.next();
        LOG.log(Level.WARNING, "writing due changes of queue '" + q.config.name() + "' failed, trying again in " + wait
            + " ms: " + ar.cause().getMessage());
        q.timer.in(wait);
      }
      return Future.<Void>succeededFuture();
    });
    q.inFlight = pass;
    pass.onComplete(v -> {
      q.inFlight = null;
      if (q.again) {
        q.again = false;
        run(q);
      }
    });
  }

  private void applied(Queue q, QueueEngine.Pass p) {
    retry.reset();
    meters.reaped(q.config.name(), p.reaped());
    if (p.more()) {
      q.again = true;
    } else if (p.next() != null && !closed) {
      q.timer.at(p.next());
    }
  }
}
