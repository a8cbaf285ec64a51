-- The job-queue engine, SQLite's own statements (the shared ones are in ../queue.sql). The single
-- writer serializes every statement, so no row locks are needed here.

-- name: claim
UPDATE job SET attempts = attempts + 1, run_at = ?4, receipt = lower(hex(randomblob(8)))
WHERE id IN (SELECT id FROM job
             WHERE queue = ?1 AND run_at <= ?2 AND attempts < max_attempts
             ORDER BY run_at, id LIMIT ?3)
RETURNING id, name, payload, is_json, attempts, max_attempts, enqueued_at, receipt;

-- name: hold
SELECT attempts, max_attempts, name, dedupe_key FROM job WHERE id = ?1 AND queue = ?2 AND receipt = ?3;

-- name: reap-select
SELECT id, name, dedupe_key FROM job WHERE queue = ?1 AND attempts >= max_attempts AND run_at <= ?2 ORDER BY run_at LIMIT ?3;

-- name: dead-insert
INSERT INTO job_dead (job_id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, reason, error, failed_at)
SELECT id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, ?2,
       COALESCE(?3, last_error, 'lease expired on the last attempt'), ?4
FROM job WHERE id IN (SELECT value FROM json_each(?1));

-- name: delete-ids
DELETE FROM job WHERE id IN (SELECT value FROM json_each(?1));

-- name: dead-take
SELECT id, name, payload, is_json, dedupe_key FROM job_dead
WHERE queue = ?1 AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2))) ORDER BY id LIMIT ?3;

-- name: dead-delete
DELETE FROM job_dead WHERE queue = ?1 AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2)));

-- Coalesced requests: many jobs or completions in one statement. Items travel as a JSON array
-- ({"n": name, "p": payload hex, "j": is_json, "d": delay_ms} and {"i": id, "r": receipt}).

-- name: insert-many
INSERT INTO job (queue, name, payload, is_json, enqueued_at, run_at, max_attempts)
SELECT ?1, json_extract(value, '$.n'), unhex(json_extract(value, '$.p')), json_extract(value, '$.j'),
       ?2, ?2 + json_extract(value, '$.d'), ?3
FROM json_each(?4) ORDER BY key
RETURNING id;

-- name: complete-many
-- The unary + keeps the planner on the primary key rather than scanning the queue's index. An
-- item may name a job twice (with different receipts): any item with the current receipt matches.
DELETE FROM job
WHERE id IN (SELECT json_extract(value, '$.i') FROM json_each(?2))
  AND +queue = ?1
  AND EXISTS (SELECT 1 FROM json_each(?2) WHERE json_extract(value, '$.i') = job.id AND json_extract(value, '$.r') = job.receipt)
RETURNING id, receipt;
