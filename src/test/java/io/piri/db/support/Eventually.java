package io.piri.db.support;

import java.time.Duration;
import org.awaitility.Awaitility;

/**
 * Waits for a condition that no event announces (a store's counts, another process's output),
 * checking it again and again up to a limit; the limit is a bound against hanging, not a measure.
 */
public final class Eventually {
  private Eventually() {}

  public interface Check {
    boolean ok() throws Exception;
  }

  public static void until(String what, Duration limit, Check check) {
    Awaitility.await(what).atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
        .until(check::ok);
  }

  /** The same, within a minute. */
  public static void until(String what, Check check) {
    until(what, Duration.ofMinutes(1), check);
  }
}
