-- name: rollup-add
-- (queue, minute, enqueued, completed, failed, dead, lag_ms, p50, p95, p99 in µs): one minute's
-- share, added to what the row holds already. A null keeps the other side (SQLite's two-argument
-- max is null when either is).
INSERT INTO queue_rollup (queue, minute, enqueued, completed, failed, dead, lag_ms, claim_p50_us, claim_p95_us, claim_p99_us)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
ON CONFLICT (queue, minute) DO UPDATE SET
  enqueued = enqueued + excluded.enqueued,
  completed = completed + excluded.completed,
  failed = failed + excluded.failed,
  dead = dead + excluded.dead,
  lag_ms = max(coalesce(lag_ms, excluded.lag_ms), coalesce(excluded.lag_ms, lag_ms)),
  claim_p50_us = max(coalesce(claim_p50_us, excluded.claim_p50_us), coalesce(excluded.claim_p50_us, claim_p50_us)),
  claim_p95_us = max(coalesce(claim_p95_us, excluded.claim_p95_us), coalesce(excluded.claim_p95_us, claim_p95_us)),
  claim_p99_us = max(coalesce(claim_p99_us, excluded.claim_p99_us), coalesce(excluded.claim_p99_us, claim_p99_us));
