-- The job-queue engine (src/main/java/io/piri/db/queue/QueueEngine.java): the statements that
-- read the same in both dialects. Parameters are ?1..?N (rendered $1..$N for PostgreSQL); what
-- differs lives in sqlite/queue.sql and postgres/queue.sql, with the same names and parameters.
-- Lists of ids travel as one JSON array text. Computed columns are named: the engine reads every
-- column by name. A job's state is 'ready', 'scheduled' or 'running' (V102__job_state_counters);
-- every statement that changes it returns what the engine needs to count the change.

-- name: done-check
SELECT status FROM job_done WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3 AND status <= ?4;

-- name: insert
INSERT INTO job (queue, name, payload, is_json, dedupe_key, enqueued_at, run_at, max_attempts, state)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: next-due
-- When the queue's next scheduled job (run_at after ?2) and next lease end (after ?3) come: two
-- lookups at the front of the state index; and whether the queue holds any job at all, from its
-- counters (an EXISTS on job was planned as a scan of the whole table, long when the queue is empty).
SELECT (SELECT min(run_at) FROM job WHERE queue = ?1 AND state = 'scheduled' AND run_at > ?2) AS next_scheduled,
       (SELECT min(run_at) FROM job WHERE queue = ?1 AND state = 'running' AND run_at > ?3) AS next_running,
       (SELECT coalesce(sum(n), 0) FROM queue_counter
        WHERE queue = ?1 AND state IN ('ready', 'scheduled', 'running')) > 0 AS has_jobs;

-- name: extend
-- (id, queue, receipt, lease end, state): a running job, or one whose lease ran out and was made
-- ready again but not claimed since (its receipt is still the current one).
UPDATE job SET run_at = ?4, state = 'running', lease_extends = lease_extends + 1 WHERE id = ?1 AND queue = ?2 AND receipt = ?3 AND state = ?5 RETURNING id;

-- name: holder
SELECT receipt, attempts, max_attempts, name, dedupe_key FROM job WHERE id = ?1 AND queue = ?2;

-- name: complete
DELETE FROM job WHERE id = ?1 AND queue = ?2 AND receipt = ?3 RETURNING name, dedupe_key, state, attempts;

-- name: done-record
INSERT INTO job_done (queue, name, dedupe_key, status, done_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (queue, name, dedupe_key) DO UPDATE SET status = excluded.status, done_at = excluded.done_at;

-- name: done-forget
DELETE FROM job_done WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3 AND status = 2;

-- name: retry
UPDATE job SET run_at = ?4, receipt = NULL, last_error = ?5, state = ?6
WHERE id = ?1 AND queue = ?2 AND receipt = ?3 AND attempts < max_attempts
RETURNING id;

-- name: dead-list
SELECT id, job_id, name, payload, is_json, attempts, reason, error, failed_at
FROM job_dead WHERE queue = ?1 AND id > ?2 ORDER BY id LIMIT ?3;

-- name: stats
SELECT queue, state, CAST(sum(n) AS BIGINT) AS n FROM queue_counter GROUP BY queue, state;

-- name: stats-queue
SELECT queue, state, CAST(sum(n) AS BIGINT) AS n FROM queue_counter WHERE queue = ?1 GROUP BY queue, state;

-- Operator views (piri-db jobs): the oldest ready jobs in claim order, and the running ones by
-- age. Both take (queue, limit).

-- name: jobs-ready
SELECT id, name, attempts, max_attempts, enqueued_at, run_at, last_error FROM job
WHERE queue = ?1 AND state = 'ready'
ORDER BY run_at, id LIMIT ?2;

-- name: jobs-running
SELECT id, name, attempts, max_attempts, enqueued_at, run_at, last_error FROM job
WHERE queue = ?1 AND state = 'running'
ORDER BY id LIMIT ?2;

-- name: dead-delete-all
-- (queue): every dead letter of the queue.
DELETE FROM job_dead WHERE queue = ?1;
