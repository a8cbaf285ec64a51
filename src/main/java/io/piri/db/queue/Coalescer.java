package io.piri.db.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns concurrent requests of one kind into one statement: a request that arrives while
 * {@code maxInFlight} flushes are running waits for the next flush, which takes everything that
 * queued up (at most {@code maxBatch}). Under no load each request flushes alone, at once; under
 * load the cost of a transaction is shared. A failed flush fails every request in it.
 * Confined to one event loop.
 */
final class Coalescer<I, O> {
  private final int maxBatch;
  private final int maxInFlight;
  private final Function<List<I>, Future<List<O>>> flush;
  private final List<I> items = new ArrayList<>();
  private final List<Promise<O>> promises = new ArrayList<>();
  private int inFlight;

  Coalescer(int maxBatch, int maxInFlight, Function<List<I>, Future<List<O>>> flush) {
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.flush = flush;
  }

  Future<O> submit(I item) {
    Promise<O> p = Promise.promise();
    items.add(item);
    promises.add(p);
    if (inFlight < maxInFlight) flushNow();
    return p.future();
  }

  private void flushNow() {
    int n = Math.min(items.size(), maxBatch);
    List<I> batch = new ArrayList<>(items.subList(0, n));
    List<Promise<O>> waiting = new ArrayList<>(promises.subList(0, n));
    items.subList(0, n).clear();
    promises.subList(0, n).clear();
    inFlight++;
    Future<List<O>> result;
    try {
      result = flush.apply(batch);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      inFlight--;
      for (int i = 0; i < waiting.size(); i++) {
        if (ar.succeeded()) waiting.get(i).complete(ar.result().get(i));
        else waiting.get(i).fail(ar.cause());
      }
      if (!items.isEmpty() && inFlight < maxInFlight) flushNow();
    });
  }
}
