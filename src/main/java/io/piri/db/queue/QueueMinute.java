package io.piri.db.queue;

/** What one queue did in one minute, kept in memory until the minute is written. */
final class QueueMinute {
  long enqueued;
  long completed;
  long failed;
  long dead;
  /** Jobs handed out by claims: activity, though no column of its own. */
  long claimed;
  final ClaimHistogram claims = new ClaimHistogram();

  /**
   * Whether the minute is worth a row. Claim attempts that took nothing are not: a worker
   * polling an empty queue is an idle node.
   */
  boolean active() {
    return enqueued + completed + failed + dead + claimed > 0;
  }

  void add(QueueMinute other) {
    enqueued += other.enqueued;
    completed += other.completed;
    failed += other.failed;
    dead += other.dead;
    claimed += other.claimed;
    claims.add(other.claims);
  }
}
