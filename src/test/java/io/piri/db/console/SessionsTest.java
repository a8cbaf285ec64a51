package io.piri.db.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Console logins end after the idle time, and each request pushes the end back. */
class SessionsTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Sessions sessions = new Sessions(60_000, now::get);

  @Test
  void aSessionExpiresAfterTheIdleTimeAndUseRenewsIt() {
    String id = sessions.open("hash");
    assertNotEquals(sessions.open("hash"), id, "each login gets its own random id");
    now.addAndGet(59_000);
    assertNotNull(sessions.touch(id));
    now.addAndGet(59_000);
    assertEquals("hash", sessions.touch(id).tokenSha256(), "the request before renewed it");
    now.addAndGet(60_000);
    assertNull(sessions.touch(id));
    assertNull(sessions.touch(id));
  }

  @Test
  void theTableIsBounded() {
    for (int i = 0; i < Sessions.MAX + 5; i++) sessions.open("h" + i);
    assertEquals(Sessions.MAX, sessions.size());
  }
}
