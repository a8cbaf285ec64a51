package io.piri.db.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.support.TestClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The due-time timer on a test clock. */
class DueTimerTest {
  private final TestClock clock = new TestClock();
  private final List<Long> fired = new ArrayList<>();
  private final DueTimer timer = new DueTimer(clock, () -> fired.add(clock.now()));

  @Test
  void firesJustAfterTheEarliestTimeAskedAndOnlyOnce() {
    long t0 = clock.now();
    timer.at(t0 + 500);
    timer.at(t0 + 200);
    timer.at(t0 + 900);
    clock.advance(200);
    assertTrue(fired.isEmpty(), "a row due at t is due once the timer fires after t");
    clock.advance(1);
    assertEquals(List.of(t0 + 201), fired);
    clock.advance(10_000);
    assertEquals(1, fired.size(), "later times asked while armed are the owner's to ask again");
    assertFalse(timer.armed());
  }

  @Test
  void canBeArmedAgainAfterFiringAndCancelled() {
    timer.in(100);
    clock.advance(101);
    timer.in(100);
    assertTrue(timer.armed());
    timer.cancel();
    clock.advance(1000);
    assertEquals(1, fired.size());
    assertEquals("[]", clock.dues());
  }

  @Test
  void aTimeAlreadyPastFiresAtOnce() {
    timer.at(clock.now() - 5_000);
    clock.advance(1);
    assertEquals(1, fired.size());
  }

  @Test
  void isDueByTheTimeItWasArmedFor() {
    long t0 = clock.now();
    assertFalse(timer.dueBy(t0 + 10_000), "not armed: nothing is due");
    timer.at(t0 + 300);
    assertFalse(timer.dueBy(t0 + 299));
    assertTrue(timer.dueBy(t0 + 300), "due at the time asked, before the timer fires just after it");
    clock.advance(301);
    assertFalse(timer.dueBy(t0 + 10_000), "once fired it waits for nothing");
  }
}
