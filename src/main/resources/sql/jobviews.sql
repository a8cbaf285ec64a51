-- Operators' views of a queue's jobs (src/main/java/io/piri/db/queue/JobViews.java) and the
-- deliveries they show (Deliveries.java): the statements that read the same in both dialects.
-- A delivery that ended without success is a job_attempt row (V110__job_deliveries); the current
-- one is the job row's own lease_start, lease_extends and run_at.

-- name: get
SELECT id, name, state, payload, is_json, attempts, max_attempts, enqueued_at, run_at, last_error, dedupe_key,
       lease_start, lease_extends
FROM job WHERE id = ?2 AND queue = ?1;

-- name: get-dead
SELECT id, job_id, name, payload, is_json, attempts, enqueued_at, reason, error, failed_at, dedupe_key
FROM job_dead WHERE job_id = ?2 AND queue = ?1;

-- name: deliveries
-- (job id, after attempt, limit): the job's ended deliveries, oldest first.
SELECT attempt, lease_start, lease_end, extends, outcome, error FROM job_attempt
WHERE job_id = ?1 AND attempt > ?2 ORDER BY attempt LIMIT ?3;

-- name: attempt-end
-- (id, now, error, outcome): the job's current delivery ended without success. Its lease ended at
-- now, or earlier when it ran out first. A lease that ran out and was recorded so is overwritten
-- by what its late holder reported.
INSERT INTO job_attempt (job_id, attempt, lease_start, lease_end, extends, outcome, error)
SELECT id, attempts, lease_start, CASE WHEN run_at < ?2 THEN run_at ELSE ?2 END, lease_extends, ?4, ?3
FROM job WHERE id = ?1 AND attempts > 0
ON CONFLICT (job_id, attempt) DO UPDATE SET lease_end = excluded.lease_end, extends = excluded.extends,
  outcome = excluded.outcome, error = excluded.error;

-- name: attempt-resumed
-- (id): a lease that ran out was extended by its holder before anyone claimed the job again: its
-- delivery goes on, and is no longer recorded as ended.
DELETE FROM job_attempt WHERE job_id = ?1 AND attempt = (SELECT attempts FROM job WHERE id = ?1);

-- name: attempts-delete-dead-all
-- (queue): the deliveries of every dead letter of the queue, about to be deleted.
DELETE FROM job_attempt WHERE job_id IN (SELECT job_id FROM job_dead WHERE queue = ?1);
