package io.piri.db.scheduler;

import io.piri.db.config.TaskTypeConfig;

/**
 * How long a failed or deferred task waits before it is runnable again (fixes D2, D3): the type's
 * {@code retry_wait} when set; otherwise exponential, 1 s after the first unsuccessful run,
 * doubling with each further failure or deferral, capped at 5 minutes. Never zero.
 */
final class RetryPolicy {
  static final long BASE_MS = 1_000;
  static final long CAP_MS = 300_000;

  private RetryPolicy() {}

  /** @param unsuccessful failures plus deferrals so far, counting the one just reported (at least 1) */
  static long waitMs(TaskTypeConfig type, long unsuccessful) {
    long configured = type.retryWait().toMillis();
    if (configured > 0) return configured;
    long shift = Math.min(Math.max(unsuccessful - 1, 0), 20);
    return Math.min(CAP_MS, BASE_MS << shift);
  }
}
