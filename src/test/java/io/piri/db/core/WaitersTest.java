package io.piri.db.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.piri.db.support.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The long-poll waiter on its own, on a test clock: no database, no Vert.x, no real time. */
class WaitersTest {
  private TestClock clock;
  private Waiters waiters;

  @BeforeEach
  void setUp() {
    clock = new TestClock();
    waiters = new Waiters(clock);
  }

  /** An attempt whose answers the test gives, one per call; counts its calls. */
  private static final class Attempts {
    final Deque<Promise<List<String>>> calls = new ArrayDeque<>();
    final List<Promise<List<String>>> all = new ArrayList<>();

    Future<List<String>> run() {
      Promise<List<String>> p = Promise.promise();
      calls.add(p);
      all.add(p);
      return p.future();
    }

    int count() {
      return all.size();
    }

    /** Answers the latest call. */
    void answer(String... jobs) {
      calls.removeLast().complete(List.of(jobs));
    }
  }

  private Future<List<String>> claim(String key, long waitMs, Attempts a) {
    return waiters.claim(List.of(key), null, waitMs, a::run, null);
  }

  /** A claim of the key, willing to wait 30 s, whose first attempt found nothing. */
  private Future<List<String>> waitingClaim(String key, Attempts a) {
    Future<List<String>> f = claim(key, 30_000, a);
    a.answer();
    return f;
  }

  /** The attempt under way finds the job, and the claim answers with it. */
  private static void findAndAnswer(Attempts a, Future<List<String>> claim, String job) {
    a.answer(job);
    assertEquals(List.of(job), claim.result());
  }

  @Test
  void anAttemptThatFindsWorkAnswersAtOnce() {
    Attempts a = new Attempts();
    findAndAnswer(a, claim("q", 1000, a), "j1");
    assertEquals(0, waiters.waiting());
  }

  @Test
  void aClaimThatFindsNothingWaitsUntilItsDeadlineWithoutTryingAgain() {
    Attempts a = new Attempts();
    Future<List<String>> f = claim("q", 1000, a);
    a.answer();
    assertFalse(f.isComplete());
    assertEquals(1, waiters.waiting());
    clock.advance(999);
    assertFalse(f.isComplete(), "its deadline has not come");
    clock.advance(1);
    assertEquals(List.of(), f.result());
    assertEquals(1, a.count(), "no polling while it waited");
    assertEquals(0, waiters.waiting());
  }

  @Test
  void noWaitMeansOneAttempt() {
    Attempts a = new Attempts();
    Future<List<String>> f = claim("q", 0, a);
    a.answer();
    assertEquals(List.of(), f.result());
    assertEquals(0, waiters.waiting());
  }

  @Test
  void aNotificationOfItsKeyMakesItTryAgainAndOnlyThen() {
    Attempts a = new Attempts();
    Future<List<String>> f = waitingClaim("q", a);
    waiters.notified("other " + clock.now());
    assertEquals(1, a.count(), "another key's work does not wake it");
    waiters.notified("q " + clock.now());
    assertEquals(2, a.count());
    findAndAnswer(a, f, "j1");
  }

  @Test
  void aWakeUpDuringAnAttemptMakesItLookAgainInsteadOfWaiting() {
    Attempts a = new Attempts();
    Future<List<String>> f = claim("q", 30_000, a);
    waiters.notified("q", clock.now()); // the job arrived after the attempt read, before it answered
    a.answer();
    assertEquals(2, a.count(), "tried again at once");
    assertEquals(0, waiters.waiting());
    findAndAnswer(a, f, "j1");
  }

  @Test
  void workDueLaterWakesItThenNotBefore() {
    Attempts a = new Attempts();
    Future<List<String>> f = waitingClaim("q", a);
    waiters.notified("q", clock.now() + 500);
    clock.advance(500);
    assertEquals(1, a.count(), "not due yet");
    clock.advance(1);
    assertEquals(2, a.count(), "tried again once due");
    findAndAnswer(a, f, "j1");
  }

  @Test
  void aWaitingClaimAsksForTheNextDueTimeAndWakesThen() {
    Attempts a = new Attempts();
    List<Long> asked = new ArrayList<>();
    long start = clock.now();
    Future<List<String>> f = waiters.claim(List.of("q"), null, 30_000, a::run, since -> {
      asked.add(since);
      return Future.succeededFuture(new Waiters.Due(start + 300, false));
    });
    a.answer();
    assertEquals(List.of(start), asked, "asked once, from when the empty attempt started");
    clock.advance(301);
    assertEquals(2, a.count());
    findAndAnswer(a, f, "j1");
  }

  @Test
  void aKeyKnownToHoldNothingIsNotAskedAgainUntilSomethingHappens() {
    Attempts a = new Attempts();
    int[] asked = {0};
    java.util.function.LongFunction<Future<Waiters.Due>> nothing = since -> {
      asked[0]++;
      return Future.succeededFuture(new Waiters.Due(null, true));
    };
    Future<List<String>> first = waiters.claim(List.of("q"), null, 1000, a::run, nothing);
    a.answer();
    clock.advance(1000);
    assertEquals(List.of(), first.result());
    Future<List<String>> second = waiters.claim(List.of("q"), null, 1000, a::run, nothing);
    assertEquals(1, a.count(), "the second claim waits without an attempt");
    assertEquals(1, asked[0]);
    assertFalse(second.isComplete());
    waiters.notified("q", clock.now());
    assertEquals(2, a.count(), "a notification makes it look");
    findAndAnswer(a, second, "j1");
  }

  @Test
  void aHeldKeysClaimsWaitWithoutLookingUntilReleased() {
    Attempts a = new Attempts();
    int[] asked = {0};
    java.util.function.LongFunction<Future<Waiters.Due>> due = since -> {
      asked[0]++;
      return Future.succeededFuture(new Waiters.Due(clock.now() + 100, false));
    };
    Future<List<String>> before = waiters.claim(List.of("q"), null, 30_000, a::run, due);
    a.answer();
    assertEquals(1, asked[0]);
    waiters.hold("q");
    Future<List<String>> after = waiters.claim(List.of("q"), null, 30_000, a::run, due);
    assertEquals(1, a.count(), "a new claim of a held key makes no attempt");
    waiters.notified("q", clock.now());
    waiters.notified(Waiters.ANY + " " + clock.now());
    waiters.notified(null);
    clock.advance(101);
    assertEquals(1, a.count(), "neither notifications nor due times make them look");
    assertEquals(1, asked[0], "nor ask for due times");
    assertEquals(2, waiters.waiting());
    waiters.release("q");
    assertEquals(3, a.count(), "released, both look at once");
    a.answer();
    findAndAnswer(a, before, "j1");
    assertFalse(after.isComplete());
  }

  @Test
  void aHeldKeysClaimsStillEndAtTheirDeadlineAndAtClose() {
    Attempts a = new Attempts();
    waiters.hold("q");
    Future<List<String>> short_ = claim("q", 1_000, a);
    Future<List<String>> long_ = claim("q", 30_000, a);
    assertEquals(0, a.count());
    clock.advance(1_000);
    assertEquals(List.of(), short_.result());
    waiters.close();
    assertEquals(List.of(), long_.result());
    assertEquals(0, a.count());
  }

  @Test
  void aClaimOfSeveralKeysWakesForAnyOfThemOnce() {
    Attempts a = new Attempts();
    Future<List<String>> f = waiters.claim(List.of("x", "y"), null, 30_000, a::run, null);
    a.answer();
    waiters.notified("y", clock.now());
    assertEquals(2, a.count());
    a.answer();
    waiters.notified("x", clock.now());
    assertEquals(3, a.count(), "it waits on both keys again");
    a.answer("t1");
    waiters.notified("x", clock.now());
    waiters.notified("y", clock.now());
    assertEquals(3, a.count(), "an answered claim is no longer woken");
    assertEquals(List.of("t1"), f.result());
  }

  @Test
  void anyKeyAndALostNotificationWakeEveryClaim() {
    Attempts a = new Attempts();
    Attempts b = new Attempts();
    waitingClaim("q1", a);
    waitingClaim("q2", b);
    waiters.notified(Waiters.ANY + " " + clock.now());
    assertEquals(2, a.count());
    assertEquals(2, b.count());
    a.answer();
    b.answer();
    waiters.notified(null);
    assertEquals(3, a.count());
    assertEquals(3, b.count());
    a.answer();
    b.answer();
    waiters.notified("not a wake-up");
    assertEquals(4, a.count(), "what cannot be read may have said anything");
    assertEquals(4, b.count());
  }

  @Test
  void workOfEveryKeyDueLaterWakesEveryWaitingClaimThen() {
    Attempts a = new Attempts();
    Attempts b = new Attempts();
    waitingClaim("q1", a);
    waitingClaim("q2", b);
    waiters.notified(Waiters.ANY, clock.now() + 100);
    clock.advance(100);
    assertEquals(1, a.count());
    clock.advance(1);
    assertEquals(2, a.count());
    assertEquals(2, b.count());
  }

  @Test
  void aTagWakesOnlyItsClaims() {
    Attempts a = new Attempts();
    Attempts b = new Attempts();
    waiters.claim(Set.of("t"), "s1", 30_000, a::run, null);
    waiters.claim(Set.of("t"), "s2", 30_000, b::run, null);
    a.answer();
    b.answer();
    waiters.wakeTagged("s1");
    assertEquals(2, a.count());
    assertEquals(1, b.count());
  }

  @Test
  void closeAnswersEveryWaitingClaimWithNothingAndNoneWaitsAfter() {
    Attempts a = new Attempts();
    Future<List<String>> f = waitingClaim("q", a);
    waiters.close();
    assertEquals(List.of(), f.result());
    Future<List<String>> later = waitingClaim("q", a);
    assertEquals(List.of(), later.result(), "a claim after close does not wait");
    assertEquals("[]", clock.dues(), "no timer left");
  }

  @Test
  void aFailedAttemptFailsTheClaim() {
    Attempts a = new Attempts();
    Future<List<String>> f = claim("q", 30_000, a);
    a.calls.removeLast().fail("database down");
    assertEquals("database down", f.cause().getMessage());
    assertEquals(0, waiters.waiting());
  }

  @Test
  void wakeUpsTravelAsKeyAndTime() {
    Waiters.Wakeup w = new Waiters.Wakeup("compute_commp", 1234);
    assertEquals("compute_commp 1234", w.payload());
    assertEquals(w, Waiters.Wakeup.parse(w.payload()));
    assertNull(Waiters.Wakeup.parse("compute_commp"));
    assertNull(Waiters.Wakeup.parse("q soon"));
    assertNull(Waiters.Wakeup.parse(" 5"));
    assertTrue(Waiters.Wakeup.parse("a b 5").key().equals("a b"));
  }
}
