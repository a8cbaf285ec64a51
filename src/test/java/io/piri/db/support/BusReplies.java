package io.piri.db.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The JSON bodies delivered on a Vert.x instance's event bus, replies included: how a test learns
 * that a client it drives has had an answer from a store (a heartbeat, a lease extension) when the
 * client shows nothing of it.
 */
public final class BusReplies {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private final List<JsonObject> seen = new ArrayList<>();

  private BusReplies() {}

  public static BusReplies watch(Vertx vertx) {
    BusReplies r = new BusReplies();
    vertx.eventBus().addInboundInterceptor(dc -> {
      if (dc.message().body() instanceof JsonObject body) r.add(body);
      dc.next();
    });
    return r;
  }

  private synchronized void add(JsonObject body) {
    seen.add(body);
    notifyAll();
  }

  /** Waits until a body matching {@code match} has been delivered. */
  public synchronized JsonObject await(String what, Predicate<JsonObject> match) throws InterruptedException {
    long end = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      for (JsonObject b : seen) {
        if (match.test(b)) return b;
      }
      long left = end - System.nanoTime();
      if (left <= 0) throw new AssertionError("no " + what + " within " + LIMIT);
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
