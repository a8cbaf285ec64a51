-- Per-minute rollups of the queue stores (src/main/java/io/piri/db/queue/Rollups.java): ?1..?N.
-- Times are epoch milliseconds; minute is the start of a minute.

-- name: rollup-oldest-ready
-- (queue): the run_at of the job a claim would take first; the front of the job_state index.
SELECT run_at FROM job WHERE queue = ?1 AND state = 'ready' ORDER BY run_at, id LIMIT 1;

-- name: rollup-prune
-- (cutoff): minutes that started before it.
DELETE FROM queue_rollup WHERE minute < ?1;

-- name: rollup-range
-- (queue, from, to, limit): the minutes that start in [from, to), oldest first.
SELECT minute, enqueued, completed, failed, dead, lag_ms, claim_p50_us, claim_p95_us, claim_p99_us
FROM queue_rollup WHERE queue = ?1 AND minute >= ?2 AND minute < ?3 ORDER BY minute LIMIT ?4;
