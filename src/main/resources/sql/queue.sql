-- The job-queue engine (src/main/java/io/piri/db/queue/QueueEngine.java): the statements that
-- read the same in both dialects. Parameters are ?1..?N (rendered $1..$N for PostgreSQL); what
-- differs lives in sqlite/queue.sql and postgres/queue.sql, with the same names and parameters.
-- Lists of ids travel as one JSON array text. Computed columns are named: the engine reads every
-- column by name.

-- name: done-check
SELECT status FROM job_done WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3 AND status <= ?4;

-- name: insert
INSERT INTO job (queue, name, payload, is_json, dedupe_key, enqueued_at, run_at, max_attempts)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: next-due
-- The next due time after a claim found nothing, and whether the queue holds any job at all.
SELECT (SELECT min(run_at) FROM job WHERE queue = ?1 AND run_at > ?2) AS next_run_at,
       EXISTS (SELECT 1 FROM job WHERE queue = ?1) AS has_jobs;

-- name: extend
UPDATE job SET run_at = ?4 WHERE id = ?1 AND queue = ?2 AND receipt = ?3 RETURNING id;

-- name: holder
SELECT receipt, attempts, max_attempts, name, dedupe_key FROM job WHERE id = ?1 AND queue = ?2;

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

-- name: exhausted-next
SELECT min(run_at) AS next_run_at FROM job WHERE queue = ?1 AND attempts >= max_attempts;

-- name: dead-list
SELECT id, job_id, name, payload, is_json, attempts, reason, error, failed_at
FROM job_dead WHERE queue = ?1 AND id > ?2 ORDER BY id LIMIT ?3;

-- name: stats-live
SELECT queue,
       sum(CASE WHEN run_at <= ?1 AND attempts < max_attempts THEN 1 ELSE 0 END) AS ready,
       sum(CASE WHEN run_at > ?1 AND receipt IS NULL THEN 1 ELSE 0 END) AS scheduled,
       sum(CASE WHEN receipt IS NOT NULL AND (run_at > ?1 OR attempts >= max_attempts) THEN 1 ELSE 0 END) AS running
FROM job GROUP BY queue;

-- name: stats-dead
SELECT queue, count(*) AS dead FROM job_dead GROUP BY queue;

-- name: stats-done
SELECT queue, done FROM queue_counter;

-- The same for one queue ((now, queue) and (queue)): only its rows, through the (queue, ...) indexes.

-- name: stats-live-queue
SELECT queue,
       sum(CASE WHEN run_at <= ?1 AND attempts < max_attempts THEN 1 ELSE 0 END) AS ready,
       sum(CASE WHEN run_at > ?1 AND receipt IS NULL THEN 1 ELSE 0 END) AS scheduled,
       sum(CASE WHEN receipt IS NOT NULL AND (run_at > ?1 OR attempts >= max_attempts) THEN 1 ELSE 0 END) AS running
FROM job WHERE queue = ?2 GROUP BY queue;

-- name: stats-dead-queue
SELECT queue, count(*) AS dead FROM job_dead WHERE queue = ?1 GROUP BY queue;

-- name: stats-done-queue
SELECT queue, done FROM queue_counter WHERE queue = ?1;

-- name: counter-add
INSERT INTO queue_counter (queue, done) VALUES (?1, ?2)
ON CONFLICT (queue) DO UPDATE SET done = queue_counter.done + excluded.done;

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
