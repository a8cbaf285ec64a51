-- Search, SQLite's own statements (the shared ones are in ../search.sql): error prefixes, whose
-- index is on the first 128 characters of the text, and the payload-field bookkeeping, whose
-- lists travel as JSON arrays.

-- name: live-error-at
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json,
       substr(last_error, 1, 128) AS err_key FROM job
WHERE queue = ?1 AND last_error IS NOT NULL AND substr(last_error, 1, 128) = ?3 AND id > ?4
  AND (CAST(?2 AS TEXT) IS NULL OR state = CAST(?2 AS TEXT))
ORDER BY id LIMIT ?5;

-- name: live-error-after
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json,
       substr(last_error, 1, 128) AS err_key FROM job
WHERE queue = ?1 AND last_error IS NOT NULL AND substr(last_error, 1, 128) > ?3 AND substr(last_error, 1, 128) < ?4
  AND (CAST(?2 AS TEXT) IS NULL OR state = CAST(?2 AS TEXT))
ORDER BY substr(last_error, 1, 128), id LIMIT ?5;

-- name: dead-error-at
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json,
       substr(error, 1, 128) AS err_key FROM job_dead
WHERE queue = ?1 AND substr(error, 1, 128) = ?2 AND id > ?3
ORDER BY id LIMIT ?4;

-- name: dead-error-after
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json,
       substr(error, 1, 128) AS err_key FROM job_dead
WHERE queue = ?1 AND substr(error, 1, 128) > ?2 AND substr(error, 1, 128) < ?3
ORDER BY substr(error, 1, 128), id LIMIT ?4;

-- name: field-insert
-- (queue, items): items [{"i": job id, "p": path, "v": value}, ...].
INSERT INTO job_field (queue, path, value, dead, job_id)
SELECT ?1, json_extract(value, '$.p'), json_extract(value, '$.v'), 0, json_extract(value, '$.i') FROM json_each(?2)
WHERE true
ON CONFLICT DO NOTHING;

-- name: field-delete
-- (job ids): the fields of jobs that completed.
DELETE FROM job_field WHERE job_id IN (SELECT value FROM json_each(?1)) AND dead = 0;

-- name: field-dead
-- (job ids): the fields of jobs that became dead letters.
UPDATE job_field SET dead = 1 WHERE job_id IN (SELECT value FROM json_each(?1)) AND dead = 0;

-- name: field-delete-dead
-- (queue, dead-letter ids): the fields of those dead letters, about to be deleted (a whole
-- queue's: field-delete-dead-all).
DELETE FROM job_field
WHERE job_id IN (SELECT job_id FROM job_dead WHERE id IN (SELECT value FROM json_each(?2)) AND +queue = ?1)
  AND dead = 1;

-- name: field-prune
-- At start: rows of paths the queue no longer configures (the configured paths, a JSON array).
DELETE FROM job_field WHERE queue = ?1 AND path NOT IN (SELECT value FROM json_each(?2));
