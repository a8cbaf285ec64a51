-- Search (src/main/java/io/piri/db/queue/QueueSearch.java, docs/event-bus.md#search). Each kind
-- of search has one statement per part, live jobs (job) and dead letters (job_dead), and each
-- walks one index in its order from a keyset cursor: ids for id, name, dedupe key and payload
-- field; (key, id) for error prefixes and times, as two statements: the rest of the key's ids
-- (-at) and the keys after it (-after). Live statements take the state as ?2 (null: any state),
-- a filter on the rows the index yields.

-- name: live-id
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json FROM job
WHERE id = ?3 AND queue = ?1 AND id > ?4 AND (CAST(?2 AS TEXT) IS NULL OR state = CAST(?2 AS TEXT))
ORDER BY id LIMIT ?5;

-- name: dead-id
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json FROM job_dead
WHERE queue = ?1 AND job_id = ?2 AND id > ?3
ORDER BY id LIMIT ?4;

-- name: live-name
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json FROM job
WHERE queue = ?1 AND name = ?3 AND id > ?4 AND (CAST(?2 AS TEXT) IS NULL OR state = CAST(?2 AS TEXT))
ORDER BY id LIMIT ?5;

-- name: dead-name
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json FROM job_dead
WHERE queue = ?1 AND name = ?2 AND id > ?3
ORDER BY id LIMIT ?4;

-- name: live-key
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json FROM job
WHERE queue = ?1 AND name = ?3 AND dedupe_key = ?4 AND dedupe_key IS NOT NULL AND id > ?5
  AND (CAST(?2 AS TEXT) IS NULL OR state = CAST(?2 AS TEXT))
ORDER BY id LIMIT ?6;

-- name: dead-key
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json FROM job_dead
WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3 AND dedupe_key IS NOT NULL AND id > ?4
ORDER BY id LIMIT ?5;

-- name: live-field
SELECT j.id, j.name, j.state, j.attempts, j.max_attempts, j.enqueued_at, j.run_at, j.last_error, j.payload, j.is_json
FROM job_field f JOIN job j ON j.id = f.job_id
WHERE f.queue = ?1 AND f.path = ?3 AND f.value = ?4 AND f.dead = 0 AND f.job_id > ?5 AND j.queue = ?1
  AND (CAST(?2 AS TEXT) IS NULL OR j.state = CAST(?2 AS TEXT))
ORDER BY f.job_id LIMIT ?6;

-- name: dead-field
SELECT d.id AS dead_id, d.job_id, d.name, d.attempts, d.reason, d.error, d.enqueued_at, d.failed_at, d.payload, d.is_json
FROM job_field f JOIN job_dead d ON d.queue = f.queue AND d.job_id = +f.job_id
WHERE f.queue = ?1 AND f.path = ?2 AND f.value = ?3 AND f.dead = 1 AND f.job_id > ?4
ORDER BY f.job_id LIMIT ?5;

-- name: live-time-at
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json FROM job
WHERE queue = ?1 AND enqueued_at = ?3 AND id > ?4 AND (CAST(?2 AS TEXT) IS NULL OR state = CAST(?2 AS TEXT))
ORDER BY id LIMIT ?5;

-- name: live-time-after
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json FROM job
WHERE queue = ?1 AND enqueued_at > ?3 AND enqueued_at <= ?4 AND (CAST(?2 AS TEXT) IS NULL OR state = CAST(?2 AS TEXT))
ORDER BY enqueued_at, id LIMIT ?5;

-- name: dead-time-at
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json FROM job_dead
WHERE queue = ?1 AND failed_at = ?2 AND id > ?3
ORDER BY id LIMIT ?4;

-- name: dead-time-after
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json FROM job_dead
WHERE queue = ?1 AND failed_at > ?2 AND failed_at <= ?3
ORDER BY failed_at, id LIMIT ?4;

-- name: field-delete-dead-all
-- (queue): the fields of every dead letter of the queue, about to be deleted.
DELETE FROM job_field WHERE job_id IN (SELECT job_id FROM job_dead WHERE queue = ?1) AND dead = 1;
