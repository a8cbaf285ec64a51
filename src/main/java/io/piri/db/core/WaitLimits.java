package io.piri.db.core;

/**
 * How long a request may wait in a store: the bound of {@code wait_ms} of {@code claim} and
 * {@code task-claim}, and what a sender must allow for an answer. The bridge's send timeout and
 * the clients' request timeouts derive from it.
 */
public final class WaitLimits {
  /** The longest {@code wait_ms} of a queue claim or a task claim. */
  public static final long MAX_CLAIM_WAIT_MS = 30_000;
  /** Beyond a claim's wait: room for its last attempt, the hop and the reply. */
  public static final long REPLY_MARGIN_MS = 10_000;
  /** The longest any request may take to be answered, a waiting claim included. */
  public static final long MAX_REPLY_MS = MAX_CLAIM_WAIT_MS + REPLY_MARGIN_MS;

  private WaitLimits() {}
}
