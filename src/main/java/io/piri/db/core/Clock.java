package io.piri.db.core;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The time of the engines and the timers that wait for it: epoch milliseconds and one-shot or
 * periodic timers, each firing on the context that set it. Engines take it instead of reading the
 * system clock, so that tests move time themselves; {@link #system} is the real one.
 */
public interface Clock {
  /** Now, in epoch milliseconds. */
  long now();

  /** Calls {@code handler} once, {@code delayMs} (at least 1) from now; returns the timer's id. */
  long setTimer(long delayMs, Handler<Long> handler);

  /** Calls {@code handler} every {@code periodMs} (at least 1) until cancelled; returns the timer's id. */
  long setPeriodic(long periodMs, Handler<Long> handler);

  /** Cancels a timer; false if it had fired (one-shot) or was cancelled already. */
  boolean cancelTimer(long id);

  /** A future that completes {@code delayMs} from now, on the context that asked. */
  default Future<Void> timer(long delayMs) {
    Promise<Void> p = Promise.promise();
    setTimer(delayMs, t -> p.complete());
    return p.future();
  }

  /** The system clock, with Vert.x timers. */
  static Clock system(Vertx vertx) {
    return new Clock() {
      @Override
      public long now() {
        return System.currentTimeMillis();
      }

      @Override
      public long setTimer(long delayMs, Handler<Long> handler) {
        return vertx.setTimer(Math.max(1, delayMs), handler);
      }

      @Override
      public long setPeriodic(long periodMs, Handler<Long> handler) {
        return vertx.setPeriodic(Math.max(1, periodMs), handler);
      }

      @Override
      public boolean cancelTimer(long id) {
        return vertx.cancelTimer(id);
      }
    };
  }
}
