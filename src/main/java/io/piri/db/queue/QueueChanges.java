package io.piri.db.queue;

import io.piri.db.bus.ChangeEvents;
import io.piri.db.core.Clock;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * A queue store's change events ({@link ChangeEvents}): {@code {"store", "queue"}} once a commit
 * changed the queue's counts. A busy queue commits thousands of times a second, and a watcher
 * only reads the counts again, so changes are gathered: the first change of a quiet queue sets a
 * timer, and the event leaves when it fires, for every change made meanwhile (at most one event per
 * queue per {@link #INTERVAL_MS}, at most that late). No SQL, and nothing at all while no queue
 * changes. Confined to the store's context.
 */
final class QueueChanges {
  static final long INTERVAL_MS = 100;

  private final Clock clock;
  private final ChangeEvents events;
  private final String store;
  /** Queues with an event due, by their timer. */
  private final Map<String, Long> due = new HashMap<>();
  private boolean closed;

  QueueChanges(Clock clock, ChangeEvents events, String store) {
    this.clock = clock;
    this.events = events;
    this.store = store;
  }

  /** A commit changed the counts of {@code queue}. */
  void changed(String queue) {
    if (closed || due.containsKey(queue)) return;
    due.put(queue, clock.setTimer(INTERVAL_MS, t -> {
      due.remove(queue);
      events.publish(new JsonObject().put("store", store).put("queue", queue));
    }));
  }

  /** The store is stopping: the events still due leave now, and no more are gathered. */
  void close() {
    closed = true;
    due.forEach((queue, timer) -> {
      if (clock.cancelTimer(timer)) events.publish(new JsonObject().put("store", store).put("queue", queue));
    });
    due.clear();
  }
}
