package io.piri.db.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coalescer on its own: the flushes it makes of the requests it is given, in order. */
class CoalescerTest {
  /** A coalescer whose flushes the test answers; records each batch. */
  private static final class Flushes {
    final List<List<Integer>> batches = new ArrayList<>();
    final List<Promise<List<String>>> pending = new ArrayList<>();
    final Coalescer<Integer, String> coalescer;

    Flushes(int maxBatch, int maxInFlight) {
      coalescer = new Coalescer<>(maxBatch, maxInFlight, this::flush);
    }

    Future<String> submit(int item) {
      return coalescer.submit(item);
    }

    Future<List<String>> flush(List<Integer> batch) {
      batches.add(batch);
      Promise<List<String>> p = Promise.promise();
      pending.add(p);
      return p.future();
    }

    /** Answers flush {@code i} with one result per item: "r" + item. */
    void succeed(int i) {
      pending.get(i).complete(batches.get(i).stream().map(n -> "r" + n).toList());
    }
  }

  @Test
  void underNoLoadEachRequestIsFlushedAloneAtOnce() {
    Flushes f = new Flushes(10, 2);
    Future<String> one = f.submit(1);
    assertEquals(List.of(List.of(1)), f.batches);
    f.succeed(0);
    assertEquals("r1", one.result());
    Future<String> two = f.submit(2);
    assertEquals(List.of(List.of(1), List.of(2)), f.batches);
    f.succeed(1);
    assertEquals("r2", two.result());
  }

  @Test
  void requestsThatArriveWhileFlushesRunGoTogetherInTheNext() {
    Flushes f = new Flushes(10, 2);
    Future<String> a = f.submit(1);
    Future<String> b = f.submit(2);
    List<Future<String>> later = new ArrayList<>();
    for (int i = 3; i <= 6; i++) later.add(f.submit(i));
    assertEquals(List.of(List.of(1), List.of(2)), f.batches, "two in flight; the rest wait");
    f.succeed(1);
    assertEquals(List.of(List.of(1), List.of(2), List.of(3, 4, 5, 6)), f.batches, "one flush for everything that queued up");
    assertEquals("r2", b.result());
    assertFalse(a.isComplete(), "each request is answered by its own flush");
    f.succeed(2);
    f.succeed(0);
    assertEquals("r1", a.result());
    assertEquals(List.of("r3", "r4", "r5", "r6"), later.stream().map(Future::result).toList(), "results by position");
  }

  @Test
  void aFlushTakesAtMostMaxBatch() {
    Flushes f = new Flushes(3, 1);
    for (int i = 0; i < 8; i++) f.submit(i);
    f.succeed(0);
    f.succeed(1);
    f.succeed(2);
    assertEquals(List.of(List.of(0), List.of(1, 2, 3), List.of(4, 5, 6), List.of(7)), f.batches);
  }

  @Test
  void aFailedFlushFailsEveryRequestInItAndOnlyThose() {
    Flushes f = new Flushes(10, 1);
    Future<String> first = f.submit(1);
    Future<String> second = f.submit(2);
    Future<String> third = f.submit(3);
    f.pending.get(0).fail("disk full");
    assertEquals("disk full", first.cause().getMessage());
    assertEquals(List.of(2, 3), f.batches.get(1));
    f.pending.get(1).fail("still full");
    assertEquals("still full", second.cause().getMessage());
    assertEquals("still full", third.cause().getMessage());
    Future<String> after = f.submit(4);
    f.succeed(2);
    assertEquals("r4", after.result(), "later requests flush as usual");
  }

  @Test
  void aFlushThatThrowsFailsItsRequestsAndTheCoalescerGoesOn() {
    List<List<Integer>> seen = new ArrayList<>();
    Coalescer<Integer, String> c = new Coalescer<>(10, 1, batch -> {
      seen.add(batch);
      if (batch.contains(1)) throw new IllegalStateException("bad statement");
      return Future.succeededFuture(batch.stream().map(n -> "ok" + n).toList());
    });
    Future<String> bad = c.submit(1);
    assertTrue(bad.failed());
    assertEquals("bad statement", bad.cause().getMessage());
    assertEquals("ok2", c.submit(2).result());
  }
}
