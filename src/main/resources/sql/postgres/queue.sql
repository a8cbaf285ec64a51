-- The job-queue engine (src/main/java/io/piri/db/queue/QueueEngine.java), PostgreSQL dialect.
-- Parameters are in the same order as in sqlite/queue.sql. Lists of ids travel as one JSON
-- array text. Many instances may share the schema: claims and reaps lock the rows they take
-- with FOR UPDATE SKIP LOCKED, and dedupe keys are serialized with transaction advisory locks.

-- name: done-check
SELECT status FROM job_done WHERE queue = $1 AND name = $2 AND dedupe_key = $3 AND status <= $4;

-- name: lock-key
SELECT pg_advisory_xact_lock($1);

-- name: insert
INSERT INTO job (queue, name, payload, is_json, dedupe_key, enqueued_at, run_at, max_attempts)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT DO NOTHING
RETURNING id;

-- name: claim
-- The ids go through an array so that the update probes the primary key once per row; a join
-- lets the planner walk the whole key index (and every dead entry a busy queue leaves in it).
UPDATE job SET attempts = attempts + 1, run_at = $4, receipt = md5(random()::text)
WHERE id = ANY (ARRAY (
  SELECT id FROM job
  WHERE queue = $1 AND run_at <= $2 AND attempts < max_attempts
  ORDER BY run_at, id LIMIT $3
  FOR UPDATE SKIP LOCKED))
RETURNING id, name, payload, is_json, attempts, max_attempts, enqueued_at, receipt;

-- name: next-due
-- The next due time after a claim found nothing, and whether the queue holds any job at all.
SELECT (SELECT min(run_at) FROM job WHERE queue = $1 AND run_at > $2),
       EXISTS (SELECT 1 FROM job WHERE queue = $1);

-- name: extend
UPDATE job SET run_at = $4 WHERE id = $1 AND queue = $2 AND receipt = $3 RETURNING id;

-- name: holder
SELECT receipt, attempts, max_attempts, name, dedupe_key FROM job WHERE id = $1 AND queue = $2;

-- name: hold
SELECT attempts, max_attempts, name, dedupe_key FROM job WHERE id = $1 AND queue = $2 AND receipt = $3 FOR UPDATE;

-- name: complete
DELETE FROM job WHERE id = $1 AND queue = $2 AND receipt = $3 RETURNING name, dedupe_key;

-- name: done-record
INSERT INTO job_done (queue, name, dedupe_key, status, done_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (queue, name, dedupe_key) DO UPDATE SET status = excluded.status, done_at = excluded.done_at;

-- name: done-forget
DELETE FROM job_done WHERE queue = $1 AND name = $2 AND dedupe_key = $3 AND status = 2;

-- name: retry
UPDATE job SET run_at = $4, receipt = NULL, last_error = $5
WHERE id = $1 AND queue = $2 AND receipt = $3 AND attempts < max_attempts
RETURNING id;

-- name: reap-select
SELECT id, name, dedupe_key FROM job WHERE queue = $1 AND attempts >= max_attempts AND run_at <= $2
ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED;

-- name: exhausted-next
SELECT min(run_at) FROM job WHERE queue = $1 AND attempts >= max_attempts;

-- name: dead-insert
INSERT INTO job_dead (job_id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, reason, error, failed_at)
SELECT id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, $2,
       COALESCE($3::text, last_error, 'lease expired on the last attempt'), $4
FROM job WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint));

-- name: delete-ids
DELETE FROM job WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint));

-- name: dead-list
SELECT id, job_id, name, payload, is_json, attempts, reason, error, failed_at
FROM job_dead WHERE queue = $1 AND id > $2 ORDER BY id LIMIT $3;

-- name: dead-take
SELECT id, name, payload, is_json, dedupe_key FROM job_dead
WHERE queue = $1 AND ($2::text::jsonb IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)))
ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED;

-- name: dead-delete
DELETE FROM job_dead
WHERE queue = $1 AND ($2::text::jsonb IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)));

-- name: stats-live
SELECT queue,
       sum(CASE WHEN run_at <= $1 AND attempts < max_attempts THEN 1 ELSE 0 END),
       sum(CASE WHEN run_at > $1 AND receipt IS NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN receipt IS NOT NULL AND (run_at > $1 OR attempts >= max_attempts) THEN 1 ELSE 0 END)
FROM job GROUP BY queue;

-- name: stats-dead
SELECT queue, count(*) FROM job_dead GROUP BY queue;

-- name: stats-done
SELECT queue, done FROM queue_counter;

-- The same for one queue ((now, queue) and (queue)): only its rows, through the (queue, ...) indexes.

-- name: stats-live-queue
SELECT queue,
       sum(CASE WHEN run_at <= $1 AND attempts < max_attempts THEN 1 ELSE 0 END),
       sum(CASE WHEN run_at > $1 AND receipt IS NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN receipt IS NOT NULL AND (run_at > $1 OR attempts >= max_attempts) THEN 1 ELSE 0 END)
FROM job WHERE queue = $2 GROUP BY queue;

-- name: stats-dead-queue
SELECT queue, count(*) FROM job_dead WHERE queue = $1 GROUP BY queue;

-- name: stats-done-queue
SELECT queue, done FROM queue_counter WHERE queue = $1;

-- name: counter-add
INSERT INTO queue_counter (queue, done) VALUES ($1, $2)
ON CONFLICT (queue) DO UPDATE SET done = queue_counter.done + excluded.done;

-- Coalesced requests: many jobs or completions in one statement. Items travel as a JSON array
-- ({"n": name, "p": payload hex, "j": is_json, "d": delay_ms} and {"i": id, "r": receipt}).

-- name: insert-many
INSERT INTO job (queue, name, payload, is_json, enqueued_at, run_at, max_attempts)
SELECT $1, e.v ->> 'n', decode(e.v ->> 'p', 'hex'), (e.v ->> 'j')::smallint,
       $2, $2 + (e.v ->> 'd')::bigint, $3
FROM jsonb_array_elements($4::text::jsonb) WITH ORDINALITY AS e(v, ord)
ORDER BY e.ord
RETURNING id;

-- name: complete-many
DELETE FROM job j
USING jsonb_array_elements($2::text::jsonb) AS e(v)
WHERE j.queue = $1 AND j.id = (e.v ->> 'i')::bigint AND j.receipt = e.v ->> 'r'
RETURNING j.id, j.receipt;

-- Operator views (piri-db jobs): the oldest ready jobs in claim order, and the running ones by
-- age. Both take (queue, now, limit).

-- name: jobs-ready
SELECT id, name, attempts, max_attempts, enqueued_at, run_at, last_error FROM job
WHERE queue = $1 AND run_at <= $2 AND attempts < max_attempts
ORDER BY run_at, id LIMIT $3;

-- name: jobs-running
SELECT id, name, attempts, max_attempts, enqueued_at, run_at, last_error FROM job
WHERE queue = $1 AND receipt IS NOT NULL AND (run_at > $2 OR attempts >= max_attempts)
ORDER BY id LIMIT $3;
