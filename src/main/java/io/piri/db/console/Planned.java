package io.piri.db.console;

/**
 * Store actions, headers and events the console already uses but stores do not offer yet
 * (docs/console.md, "Not yet wired"). Each name and shape is documented there; until a store
 * answers it, the console reports it as not available instead of guessing.
 */
final class Planned {
  private Planned() {}

  /** Stores publish {@code {"store", "queue"}} here after a commit that changed a queue's counts. */
  static final String EVENTS_ADDRESS = "piri.db.events";

  /** Headers of every change the console makes: who asked, and through what. */
  static final String ACTOR_HEADER = "actor";
  static final String ACTOR_ROLE_HEADER = "actor_role";
  static final String VIA_HEADER = "via";

  /** Queue stores: one state's jobs with a keyset cursor. */
  static final String JOBS_PAGE = "jobs-page";
  /** Queue stores: one live job with its payload. */
  static final String JOB_GET = "job-get";
  /** Queue stores: a job's deliveries (attempts, leases, extends, errors). */
  static final String JOB_DELIVERIES = "job-deliveries";
  /** Queue stores: stop and restart claims of one queue. */
  static final String QUEUE_PAUSE = "queue-pause";
  static final String QUEUE_RESUME = "queue-resume";
  /** Every store: its audit rows, newest first. */
  static final String AUDIT_LIST = "audit-list";
  /** Scheduler: live task-engine sessions with their last heartbeat. */
  static final String SESSION_LIST = "session-list";
  /** Scheduler: root and pending-message counts of some proof sets. */
  static final String PS_COUNTS = "ps-counts";
  /** Scheduler: one proof set's history of state changes, messages and tasks. */
  static final String PS_TIMELINE = "ps-timeline";
}
