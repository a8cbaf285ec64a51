-- Bulk operations, PostgreSQL's filtered statements (the shared ones are in ../bulk.sql). Every one
-- takes the same parameters: (queue, after id, up to id, name, error prefix, from, to, ids as a
-- JSON array), and the live jobs' ones the states as a JSON array; a null filter field matches
-- everything. from and to are
-- inclusive epoch ms: failed_at of dead letters, enqueued_at of live jobs.

-- name: bulk-dead-count
SELECT count(*) AS n FROM job_dead
WHERE queue = $1 AND id > $2 AND id <= $3 AND ($4::text IS NULL OR name = $4::text)
  AND ($5::text IS NULL OR left(error, length($5::text)) = $5::text) AND ($6::bigint IS NULL OR failed_at >= $6::bigint)
  AND ($7::bigint IS NULL OR failed_at <= $7::bigint) AND ($8::text IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($8::text::jsonb)::bigint)));

-- name: bulk-dead-take
SELECT id, name, payload, is_json, dedupe_key FROM job_dead
WHERE queue = $1 AND id > $2 AND id <= $3 AND ($4::text IS NULL OR name = $4::text)
  AND ($5::text IS NULL OR left(error, length($5::text)) = $5::text) AND ($6::bigint IS NULL OR failed_at >= $6::bigint)
  AND ($7::bigint IS NULL OR failed_at <= $7::bigint) AND ($8::text IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($8::text::jsonb)::bigint)))
ORDER BY id FOR UPDATE;

-- name: bulk-dead-ids
SELECT id FROM job_dead
WHERE queue = $1 AND id > $2 AND id <= $3 AND ($4::text IS NULL OR name = $4::text)
  AND ($5::text IS NULL OR left(error, length($5::text)) = $5::text) AND ($6::bigint IS NULL OR failed_at >= $6::bigint)
  AND ($7::bigint IS NULL OR failed_at <= $7::bigint) AND ($8::text IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($8::text::jsonb)::bigint)));

-- name: bulk-live-count
SELECT count(*) AS n FROM job
WHERE queue = $1 AND id > $2 AND id <= $3 AND ($4::text IS NULL OR name = $4::text)
  AND ($5::text IS NULL OR left(last_error, length($5::text)) = $5::text) AND ($6::bigint IS NULL OR enqueued_at >= $6::bigint)
  AND ($7::bigint IS NULL OR enqueued_at <= $7::bigint) AND ($8::text IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($8::text::jsonb)::bigint)))
  AND state = ANY (ARRAY (SELECT jsonb_array_elements_text($9::text::jsonb)));

-- name: bulk-live-take
-- Rows are locked (never skipped: a row another transaction holds is waited for and then seen as it
-- is), so no row of the window is passed over.
SELECT id, name, dedupe_key, state FROM job
WHERE queue = $1 AND id > $2 AND id <= $3 AND ($4::text IS NULL OR name = $4::text)
  AND ($5::text IS NULL OR left(last_error, length($5::text)) = $5::text) AND ($6::bigint IS NULL OR enqueued_at >= $6::bigint)
  AND ($7::bigint IS NULL OR enqueued_at <= $7::bigint) AND ($8::text IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($8::text::jsonb)::bigint)))
  AND state = ANY (ARRAY (SELECT jsonb_array_elements_text($9::text::jsonb)))
ORDER BY id FOR UPDATE;
