package io.piri.db.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {
  @Test
  void doublesUpToItsMaximumAndStartsOverAfterASuccess() {
    RetryBackoff b = new RetryBackoff(50, 300);
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 5; i++) waits.add(b.next());
    assertEquals(List.of(50L, 100L, 200L, 300L, 300L), waits);
    b.reset();
    assertEquals(50, b.next());
  }

  @Test
  void theClientsWaitFromATenthOfASecondToFiveSeconds() {
    RetryBackoff b = RetryBackoff.client();
    assertEquals(100, b.next());
    long last = 0;
    for (int i = 0; i < 20; i++) last = b.next();
    assertEquals(5_000, last);
  }

  @Test
  void refusesWaitsThatCannotGrow() {
    assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new RetryBackoff(100, 50));
  }
}
