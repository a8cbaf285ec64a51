-- Job views and deliveries, PostgreSQL's own statements (the shared ones are in ../jobviews.sql).
-- Lists of ids travel as one JSON array text.

-- name: page
-- (queue, state, after run_at, after id, limit): one state's jobs after the cursor, in the order
-- of the state index: claim order for ready, due time for scheduled, lease end for running. The
-- row comparison is an index condition: the scan starts at the cursor.
SELECT id, name, attempts, max_attempts, enqueued_at, run_at, last_error, dedupe_key FROM job
WHERE queue = $1 AND state = $2 AND (run_at, id) > ($3, $4)
ORDER BY run_at, id LIMIT $5;

-- name: expire-take
-- (queue, now, max): leases that ran out before the last attempt, in due order, recorded as ended
-- deliveries; returns the jobs, locked until the transaction ends, which the caller then claims or
-- makes ready.
INSERT INTO job_attempt (job_id, attempt, lease_start, lease_end, extends, outcome, error)
SELECT id, attempts, lease_start, run_at, lease_extends, 'lease_expired', NULL FROM job
WHERE id = ANY (ARRAY (
  SELECT id FROM job
  WHERE queue = $1 AND state = 'running' AND run_at <= $2 AND attempts < max_attempts
  ORDER BY run_at, id LIMIT $3
  FOR UPDATE SKIP LOCKED))
ON CONFLICT (job_id, attempt) DO UPDATE SET lease_end = excluded.lease_end, outcome = excluded.outcome
RETURNING job_id;

-- name: claim-ids
-- (ids, now, lease end): claims these jobs (taken by expire-take), each with a new receipt.
UPDATE job SET state = 'running', attempts = attempts + 1, run_at = $3, receipt = md5(random()::text),
               lease_start = $2, lease_extends = 0
WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint))
RETURNING id, name, payload, is_json, attempts, max_attempts, enqueued_at, receipt;

-- name: make-ready-ids
UPDATE job SET state = 'ready' WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint));

-- name: attempts-dead
-- (ids, now, error): the deliveries that end in the dead-letter queue (a failure, or a lease that
-- ran out on the last attempt).
INSERT INTO job_attempt (job_id, attempt, lease_start, lease_end, extends, outcome, error)
SELECT id, attempts, lease_start, CASE WHEN run_at < $2 THEN run_at ELSE $2 END, lease_extends, 'dead_lettered',
       COALESCE($3::text, 'lease expired on the last attempt')
FROM job WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)) AND attempts > 0
ON CONFLICT (job_id, attempt) DO UPDATE SET lease_end = excluded.lease_end, extends = excluded.extends,
  outcome = excluded.outcome, error = excluded.error;

-- name: attempts-delete
DELETE FROM job_attempt WHERE job_id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint));

-- name: attempts-delete-dead
-- (queue, dead ids): the deliveries of those dead letters, about to be deleted (a whole queue's:
-- attempts-delete-dead-all).
DELETE FROM job_attempt WHERE job_id IN (
  SELECT job_id FROM job_dead
  WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)) AND queue || '' = $1);
