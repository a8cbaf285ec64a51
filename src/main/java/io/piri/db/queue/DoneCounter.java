package io.piri.db.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Completed-job totals for {@code stats}. Counting in the completing transaction would make
 * every completion update one hot row; instead counts gather here and are added about once a
 * second (only when something completed, so an idle store writes nothing).
 */
final class DoneCounter {
  private final Vertx vertx;
  private final BiFunction<String, Long, Future<Void>> flushOne;
  private final Map<String, Long> pending = new HashMap<>();
  private long timer = -1;

  DoneCounter(Vertx vertx, BiFunction<String, Long, Future<Void>> flushOne) {
    this.vertx = vertx;
    this.flushOne = flushOne;
  }

  void add(String queue, long n) {
    if (n <= 0) return;
    pending.merge(queue, n, Long::sum);
    if (timer == -1) timer = vertx.setTimer(1000, t -> {
      timer = -1;
      flush();
    });
  }

  long pending(String queue) {
    return pending.getOrDefault(queue, 0L);
  }

  Future<Void> flush() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    Future<Void> all = Future.succeededFuture();
    for (Map.Entry<String, Long> e : Map.copyOf(pending).entrySet()) {
      pending.remove(e.getKey());
      all = all.compose(v -> flushOne.apply(e.getKey(), e.getValue())
          .recover(err -> {
            pending.merge(e.getKey(), e.getValue(), Long::sum);
            return Future.succeededFuture();
          }));
    }
    return all;
  }
}
