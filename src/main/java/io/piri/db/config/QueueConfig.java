package io.piri.db.config;

import java.time.Duration;

/** One job queue: the store that holds it and how its jobs are retried (contract §5). */
public record QueueConfig(
    String name,
    String store,
    int maxAttempts,
    Duration lease,
    boolean dedupe,
    boolean blockRepeatsOnDead,
    Duration backoffBase,
    Duration backoffMax) {}
