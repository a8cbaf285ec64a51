package io.piri.db.scheduler;

import io.piri.db.core.Clock;
import io.piri.db.backend.Statements;
import io.piri.db.backend.Tx;
import io.vertx.core.Future;

/**
 * Adds a task inside someone else's transaction: the PDP actions create their task and their own
 * rows atomically (Piri's AddTask callback, piri-scheduler.md 2.4), through the same statement as
 * {@code task-add}, and wake waiting claims once that transaction commits.
 */
public record TaskCreator(Statements sql, TaskTypes types, TaskEvents events, Clock clock) {
  /** A runnable task of type {@code name} (which must be configured), in the transaction of {@code conn}. */
  public Future<Long> add(Tx conn, String name, String addedBy) {
    types.require("name", name);
    long now = clock.now();
    return conn.run(sql.get("task-insert"), now, now, addedBy, name, now, null)
        .compose(rows -> {
          long id = rows.first().longValue("id");
          return events.added(conn, name).map(v -> id);
        });
  }
}
