package io.piri.db.config;

import java.time.Duration;

/**
 * One task type of the scheduler's task engine. {@code maxFailures} 0 means unlimited retries;
 * {@code retryWait} zero means "none set"; {@code maxRunning} 0 means no limit.
 */
public record TaskTypeConfig(String name, int maxFailures, Duration retryWait, int maxRunning) {}
