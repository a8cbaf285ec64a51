-- name: rollup-add
-- (queue, minute, enqueued, completed, failed, dead, lag_ms, p50, p95, p99 in µs): one instance's
-- share of a minute, added to what other instances (or this one before a restart) wrote.
-- GREATEST ignores nulls.
INSERT INTO queue_rollup AS r (queue, minute, enqueued, completed, failed, dead, lag_ms, claim_p50_us, claim_p95_us, claim_p99_us)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (queue, minute) DO UPDATE SET
  enqueued = r.enqueued + excluded.enqueued,
  completed = r.completed + excluded.completed,
  failed = r.failed + excluded.failed,
  dead = r.dead + excluded.dead,
  lag_ms = GREATEST(r.lag_ms, excluded.lag_ms),
  claim_p50_us = GREATEST(r.claim_p50_us, excluded.claim_p50_us),
  claim_p95_us = GREATEST(r.claim_p95_us, excluded.claim_p95_us),
  claim_p99_us = GREATEST(r.claim_p99_us, excluded.claim_p99_us);
