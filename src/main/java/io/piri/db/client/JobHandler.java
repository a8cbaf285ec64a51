package io.piri.db.client;

import io.vertx.core.Future;

/**
 * Runs one job. A succeeded future completes the job; a failed one (or a thrown exception) is a
 * failed attempt, retried after a backoff unless it is a {@link PermanentFailure}.
 */
@FunctionalInterface
public interface JobHandler {
  Future<?> handle(Job job) throws Exception;
}
