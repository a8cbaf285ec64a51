-- Search, PostgreSQL's own statements (the shared ones are in ../search.sql): error prefixes,
-- whose index is on the first 128 characters of the text compared byte by byte (COLLATE "C"),
-- and the payload-field bookkeeping, whose lists travel as JSON arrays.

-- name: live-error-at
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json,
       substr(last_error, 1, 128) AS err_key FROM job
WHERE queue = $1 AND last_error IS NOT NULL AND substr(last_error, 1, 128) COLLATE "C" = $3 AND id > $4
  AND ($2::text IS NULL OR state = $2::text)
ORDER BY id LIMIT $5;

-- name: live-error-after
SELECT id, name, state, attempts, max_attempts, enqueued_at, run_at, last_error, payload, is_json,
       substr(last_error, 1, 128) AS err_key FROM job
WHERE queue = $1 AND last_error IS NOT NULL
  AND substr(last_error, 1, 128) COLLATE "C" > $3 AND substr(last_error, 1, 128) COLLATE "C" < $4
  AND ($2::text IS NULL OR state = $2::text)
ORDER BY substr(last_error, 1, 128) COLLATE "C", id LIMIT $5;

-- name: dead-error-at
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json,
       substr(error, 1, 128) AS err_key FROM job_dead
WHERE queue = $1 AND substr(error, 1, 128) COLLATE "C" = $2 AND id > $3
ORDER BY id LIMIT $4;

-- name: dead-error-after
SELECT id AS dead_id, job_id, name, attempts, reason, error, enqueued_at, failed_at, payload, is_json,
       substr(error, 1, 128) AS err_key FROM job_dead
WHERE queue = $1 AND substr(error, 1, 128) COLLATE "C" > $2 AND substr(error, 1, 128) COLLATE "C" < $3
ORDER BY substr(error, 1, 128) COLLATE "C", id LIMIT $4;

-- name: field-insert
-- (queue, items): items [{"i": job id, "p": path, "v": value}, ...].
INSERT INTO job_field (queue, path, value, dead, job_id)
SELECT $1, e.v ->> 'p', e.v ->> 'v', 0, (e.v ->> 'i')::bigint FROM jsonb_array_elements($2::text::jsonb) AS e(v)
ON CONFLICT DO NOTHING;

-- name: field-delete
-- (job ids): the fields of jobs that completed.
DELETE FROM job_field WHERE job_id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)) AND dead = 0;

-- name: field-dead
-- (job ids): the fields of jobs that became dead letters.
UPDATE job_field SET dead = 1
WHERE job_id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)) AND dead = 0;

-- name: field-delete-dead
-- (queue, dead-letter ids): the fields of those dead letters, about to be deleted (a whole
-- queue's: field-delete-dead-all).
DELETE FROM job_field
WHERE job_id IN (SELECT job_id FROM job_dead
                 WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)) AND queue || '' = $1)
  AND dead = 1;

-- name: field-prune
-- At start: rows of paths the queue no longer configures (the configured paths, a JSON array).
DELETE FROM job_field WHERE queue = $1 AND path NOT IN (SELECT jsonb_array_elements_text($2::text::jsonb));
