-- The job-queue engine (src/main/java/io/piri/db/queue/QueueEngine.java), SQLite dialect.
-- Parameters are numbered (?1, ?2, ...) in the same order as in postgres/queue.sql.
-- Lists of ids travel as one JSON array text. The single writer serializes every statement,
-- so no row locks are needed here.

-- name: done-check
SELECT status FROM job_done WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3 AND status <= ?4;

-- name: lock-key
SELECT ?1;

-- name: insert
INSERT INTO job (queue, name, payload, is_json, dedupe_key, enqueued_at, run_at, max_attempts)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: claim
UPDATE job SET attempts = attempts + 1, run_at = ?4, receipt = lower(hex(randomblob(8)))
WHERE id IN (SELECT id FROM job
             WHERE queue = ?1 AND run_at <= ?2 AND attempts < max_attempts
             ORDER BY run_at, id LIMIT ?3)
RETURNING id, name, payload, is_json, attempts, max_attempts, enqueued_at, receipt;

-- name: next-due
-- The next due time after a claim found nothing, and whether the queue holds any job at all.
SELECT (SELECT min(run_at) FROM job WHERE queue = ?1 AND run_at > ?2),
       EXISTS (SELECT 1 FROM job WHERE queue = ?1);

-- name: extend
UPDATE job SET run_at = ?4 WHERE id = ?1 AND queue = ?2 AND receipt = ?3 RETURNING id;

-- name: holder
SELECT receipt, attempts, max_attempts, name, dedupe_key FROM job WHERE id = ?1 AND queue = ?2;

-- name: hold
SELECT attempts, max_attempts, name, dedupe_key FROM job WHERE id = ?1 AND queue = ?2 AND receipt = ?3;

-- name: complete
DELETE FROM job WHERE id = ?1 AND queue = ?2 AND receipt = ?3 RETURNING name, dedupe_key;

-- name: done-record
INSERT INTO job_done (queue, name, dedupe_key, status, done_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (queue, name, dedupe_key) DO UPDATE SET status = excluded.status, done_at = excluded.done_at;

-- name: done-forget
DELETE FROM job_done WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3 AND status = 2;

-- name: retry
UPDATE job SET run_at = ?4, receipt = NULL, last_error = ?5
WHERE id = ?1 AND queue = ?2 AND receipt = ?3 AND attempts < max_attempts
RETURNING id;

-- name: reap-select
SELECT id, name, dedupe_key FROM job WHERE queue = ?1 AND attempts >= max_attempts AND run_at <= ?2 ORDER BY run_at LIMIT ?3;

-- name: exhausted-next
SELECT min(run_at) FROM job WHERE queue = ?1 AND attempts >= max_attempts;

-- name: dead-insert
INSERT INTO job_dead (job_id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, reason, error, failed_at)
SELECT id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, ?2,
       COALESCE(?3, last_error, 'lease expired on the last attempt'), ?4
FROM job WHERE id IN (SELECT value FROM json_each(?1));

-- name: delete-ids
DELETE FROM job WHERE id IN (SELECT value FROM json_each(?1));

-- name: dead-list
SELECT id, job_id, name, payload, is_json, attempts, reason, error, failed_at
FROM job_dead WHERE queue = ?1 AND id > ?2 ORDER BY id LIMIT ?3;

-- name: dead-take
SELECT id, name, payload, is_json, dedupe_key FROM job_dead
WHERE queue = ?1 AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2))) ORDER BY id LIMIT ?3;

-- name: dead-delete
DELETE FROM job_dead WHERE queue = ?1 AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2)));

-- name: stats-live
SELECT queue,
       sum(CASE WHEN run_at <= ?1 AND attempts < max_attempts THEN 1 ELSE 0 END),
       sum(CASE WHEN run_at > ?1 AND receipt IS NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN receipt IS NOT NULL AND (run_at > ?1 OR attempts >= max_attempts) THEN 1 ELSE 0 END)
FROM job GROUP BY queue;

-- name: stats-dead
SELECT queue, count(*) FROM job_dead GROUP BY queue;

-- name: stats-done
SELECT queue, done FROM queue_counter;

-- The same for one queue ((now, queue) and (queue)): only its rows, through the (queue, ...) indexes.

-- name: stats-live-queue
SELECT queue,
       sum(CASE WHEN run_at <= ?1 AND attempts < max_attempts THEN 1 ELSE 0 END),
       sum(CASE WHEN run_at > ?1 AND receipt IS NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN receipt IS NOT NULL AND (run_at > ?1 OR attempts >= max_attempts) THEN 1 ELSE 0 END)
FROM job WHERE queue = ?2 GROUP BY queue;

-- name: stats-dead-queue
SELECT queue, count(*) FROM job_dead WHERE queue = ?1 GROUP BY queue;

-- name: stats-done-queue
SELECT queue, done FROM queue_counter WHERE queue = ?1;

-- name: counter-add
INSERT INTO queue_counter (queue, done) VALUES (?1, ?2)
ON CONFLICT (queue) DO UPDATE SET done = queue_counter.done + excluded.done;

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

-- Operator views (piri-db jobs): the oldest ready jobs in claim order, and the running ones by
-- age. Both take (queue, now, limit).

-- name: jobs-ready
SELECT id, name, attempts, max_attempts, enqueued_at, run_at, last_error FROM job
WHERE queue = ?1 AND run_at <= ?2 AND attempts < max_attempts
ORDER BY run_at, id LIMIT ?3;

-- name: jobs-running
SELECT id, name, attempts, max_attempts, enqueued_at, run_at, last_error FROM job
WHERE queue = ?1 AND receipt IS NOT NULL AND (run_at > ?2 OR attempts >= max_attempts)
ORDER BY id LIMIT ?3;
