package io.piri.db.queue;

/**
 * One job to enqueue, validated: its payload as bytes (JSON text when {@code json}), the delay,
 * and the dedupe key (null unless the queue dedupes).
 */
record JobInput(String name, byte[] payload, boolean json, long delayMs, byte[] dedupeKey) {}
