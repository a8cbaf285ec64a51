-- The job-queue engine, SQLite's own statements (the shared ones are in ../queue.sql). The single
-- writer serializes every statement, so no row locks are needed here.

-- name: claim
-- (queue, now, max, lease end, state): up to max jobs of one state, in due order; none of a paused
-- queue (the pause is read once per statement, not per row: the subquery does not name job).
UPDATE job SET state = 'running', attempts = attempts + 1, run_at = ?4, receipt = lower(hex(randomblob(8))),
               lease_start = ?2, lease_extends = 0
WHERE id IN (SELECT id FROM job
             WHERE queue = ?1 AND state = ?5 AND run_at <= ?2 AND attempts < max_attempts
               AND NOT EXISTS (SELECT 1 FROM queue_pause WHERE queue = ?1)
             ORDER BY run_at, id LIMIT ?3)
RETURNING id, name, payload, is_json, attempts, max_attempts, enqueued_at, receipt;

-- name: make-ready
-- (queue, now, max, state): scheduled jobs whose time has come, or leases that ran out before the
-- last attempt, become ready; in due order, so that a batch takes the oldest.
UPDATE job SET state = 'ready'
WHERE id IN (SELECT id FROM job
             WHERE queue = ?1 AND state = ?4 AND run_at <= ?2 AND attempts < max_attempts
             ORDER BY run_at, id LIMIT ?3);

-- name: hold
SELECT attempts, max_attempts, name, dedupe_key, state FROM job WHERE id = ?1 AND queue = ?2 AND receipt = ?3;

-- name: reap-select
-- Leases that ran out (strictly before now) on the last attempt.
SELECT id, name, dedupe_key FROM job
WHERE queue = ?1 AND state = 'running' AND run_at < ?2 AND attempts >= max_attempts
ORDER BY run_at LIMIT ?3;

-- name: dead-insert
INSERT INTO job_dead (job_id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, reason, error, failed_at)
SELECT id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, ?2,
       COALESCE(?3, last_error, 'lease expired on the last attempt'), ?4
FROM job WHERE id IN (SELECT value FROM json_each(?1));

-- name: delete-ids
DELETE FROM job WHERE id IN (SELECT value FROM json_each(?1)) RETURNING state;

-- name: dead-take
SELECT id, name, payload, is_json, dedupe_key FROM job_dead
WHERE queue = ?1 AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2))) ORDER BY id LIMIT ?3;

-- name: dead-delete
-- (queue, dead ids): probed by key; dead-delete-all takes a whole queue's. One statement for both
-- made the planner walk the queue's every dead letter for a list of a few ids.
DELETE FROM job_dead WHERE id IN (SELECT value FROM json_each(?2)) AND +queue = ?1;

-- name: count-add
-- (queue, ready, scheduled, running, dead, done): what one transaction changed. One row per
-- queue and state (shard 0): the one writer runs one transaction at a time.
INSERT INTO queue_counter (queue, state, shard, n)
SELECT ?1, d.state, 0, d.n
FROM (SELECT 'ready' AS state, ?2 AS n UNION ALL SELECT 'scheduled', ?3 UNION ALL SELECT 'running', ?4
      UNION ALL SELECT 'dead', ?5 UNION ALL SELECT 'done', ?6) AS d
WHERE d.n <> 0
ON CONFLICT (queue, state, shard) DO UPDATE SET n = n + excluded.n;

-- Coalesced requests: many jobs or completions in one statement. Items travel as a JSON array
-- ({"n": name, "p": payload hex, "j": is_json, "d": delay_ms} and {"i": id, "r": receipt}).

-- name: insert-many
INSERT INTO job (queue, name, payload, is_json, enqueued_at, run_at, max_attempts, state)
SELECT ?1, json_extract(value, '$.n'), unhex(json_extract(value, '$.p')), json_extract(value, '$.j'),
       ?2, ?2 + json_extract(value, '$.d'), ?3, CASE WHEN json_extract(value, '$.d') > 0 THEN 'scheduled' ELSE 'ready' END
FROM json_each(?4) ORDER BY key
RETURNING id;

-- name: complete-many
-- One list of (id, receipt) pairs, built once and probed by primary key per pair (a subquery per
-- row that read the items again made a batch cost the square of its size). The unary + keeps the
-- planner on the primary key rather than scanning the queue's index. An item may name a job twice
-- (with different receipts): any item with the current receipt matches.
DELETE FROM job
WHERE (id, receipt) IN (SELECT json_extract(value, '$.i'), json_extract(value, '$.r') FROM json_each(?2))
  AND +queue = ?1
RETURNING id, receipt, state, attempts;
