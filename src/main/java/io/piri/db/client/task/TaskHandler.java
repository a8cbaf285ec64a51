package io.piri.db.client.task;

import io.vertx.core.Future;

/**
 * Runs one task of a type (Piri's {@code Do(taskID)}). Called on the client's context; it must not
 * block it (use {@code executeBlocking} for blocking work). A thrown exception or a failed future
 * is reported as {@link Outcome#failed(Throwable)}.
 */
@FunctionalInterface
public interface TaskHandler {
  Future<Outcome> run(long taskId);
}
