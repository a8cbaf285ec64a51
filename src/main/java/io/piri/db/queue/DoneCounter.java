package io.piri.db.queue;

import io.piri.db.core.Clock;
import io.piri.db.core.DueTimer;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Completed-job totals for {@code stats}. Counting in the completing transaction would make
 * every completion update one hot row; instead counts gather here and are added
 * {@value #FLUSH_AFTER_MS} ms after the first of them (only when something completed, so an idle
 * store writes nothing).
 */
final class DoneCounter {
  static final long FLUSH_AFTER_MS = 1000;

  private final BiFunction<String, Long, Future<Void>> flushOne;
  private final Map<String, Long> pending = new HashMap<>();
  private final DueTimer timer;
  private Future<Void> flushing = Future.succeededFuture();

  DoneCounter(Clock clock, BiFunction<String, Long, Future<Void>> flushOne) {
    this.flushOne = flushOne;
    this.timer = new DueTimer(clock, this::flush);
  }

  void add(String queue, long n) {
    if (n <= 0) return;
    pending.merge(queue, n, Long::sum);
    timer.in(FLUSH_AFTER_MS);
  }

  long pending(String queue) {
    return pending.getOrDefault(queue, 0L);
  }

  /**
   * Completes once no flush is being written: a read of the stored totals that starts then, plus
   * {@link #pending} once it ends, counts each completion once.
   */
  Future<Void> settled() {
    return flushing;
  }

  Future<Void> flush() {
    timer.cancel();
    Future<Void> all = Future.succeededFuture();
    for (Map.Entry<String, Long> e : Map.copyOf(pending).entrySet()) {
      pending.remove(e.getKey());
      all = all.compose(v -> flushOne.apply(e.getKey(), e.getValue())
          .recover(err -> {
            pending.merge(e.getKey(), e.getValue(), Long::sum);
            return Future.succeededFuture();
          }));
    }
    Future<Void> written = all;
    flushing = flushing.compose(v -> written);
    return all;
  }
}
