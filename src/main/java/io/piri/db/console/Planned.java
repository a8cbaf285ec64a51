package io.piri.db.console;

/**
 * Store actions the console already uses but the queue stores do not offer yet (docs/console.md,
 * "Not yet wired"). Each name and shape is documented there; until a store answers it, the
 * console reports it as not available instead of guessing.
 */
final class Planned {
  private Planned() {}

  /** Queue stores: stop and restart claims of one queue. */
  static final String QUEUE_PAUSE = "queue-pause";
  static final String QUEUE_RESUME = "queue-resume";
}
