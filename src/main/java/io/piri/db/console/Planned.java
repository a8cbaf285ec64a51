package io.piri.db.console;

/**
 * Store actions the console already uses but the queue stores do not offer yet (docs/console.md,
 * "Not yet wired"). Each name and shape is documented there; until a store answers it, the
 * console reports it as not available instead of guessing.
 */
final class Planned {
  private Planned() {}

  /** Queue stores: one state's jobs with a keyset cursor. */
  static final String JOBS_PAGE = "jobs-page";
  /** Queue stores: one live job with its payload. */
  static final String JOB_GET = "job-get";
  /** Queue stores: a job's deliveries (attempts, leases, extends, errors). */
  static final String JOB_DELIVERIES = "job-deliveries";
}
