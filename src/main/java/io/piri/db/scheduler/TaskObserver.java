package io.piri.db.scheduler;

import io.piri.db.backend.Tx;
import io.vertx.core.Future;

/**
 * Another engine of the Scheduler store that follows how its tasks end (the PDP state records
 * the outcome of the tasks a proof set holds). Called inside {@code task-complete}'s transaction:
 * once before the task changes, while the rows that point at it still do, and once after.
 */
public interface TaskObserver {
  /** Before task {@code id} of type {@code name} changes: what to do once it has, or null when the task is none of the observer's. */
  Future<After> before(Tx tx, long id, String name);

  /** How a task ended: its type, the outcome its session reported, its state since (deleted, dropped, requeued) and the error sent. */
  record Ended(long id, String name, String outcome, String state, String error) {}

  interface After {
    Future<Void> after(Tx tx, SchedulerChanges.Touched touched, Ended ended);
  }

  TaskObserver NONE = (tx, id, name) -> Future.succeededFuture();
}
