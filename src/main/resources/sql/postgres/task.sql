-- The task engine, PostgreSQL's own statements (the shared ones are in ../task.sql): the reads
-- that lock, and the batches that go through arrays.

-- Read the session before claiming, and lock it: an expiry waits for the claim, and claims of one
-- session (through any instance) take turns, so each counts what the one before it took against
-- max_running.
-- name: session-for-claim
SELECT expires_at FROM task_session WHERE id = $1 FOR NO KEY UPDATE;

-- name: session-for-close
SELECT expires_at FROM task_session WHERE id = $1 FOR UPDATE;

-- Claim of up to N runnable tasks of one type (rows locked by another claimer are skipped). The
-- ids go through an array, which PostgreSQL computes once: an IN (subquery) may be planned as a
-- join that runs the subquery again for each row, and each run locks and adds rows the previous
-- ones did not (its own updates are skipped), so one claim could take every runnable task. The
-- rows in the array are locked here and were checked on their latest version, so the update
-- needs no second test of session_id.
-- name: task-claim
UPDATE task SET session_id = $1, update_time = $2
WHERE id = ANY (ARRAY (
  SELECT id FROM task
  WHERE name = $3 AND session_id IS NULL AND runnable_at <= $4
  ORDER BY runnable_at, id LIMIT $5
  FOR UPDATE SKIP LOCKED))
RETURNING id, name, retries, posted_time, update_time, runnable_at;

-- name: task-for-complete
SELECT id, name, retries, deferrals, posted_time, session_id FROM task WHERE id = $1 FOR UPDATE;

-- The batch goes through an array, computed once (see task-claim).
-- name: history-prune
DELETE FROM task_history WHERE id = ANY (ARRAY (SELECT id FROM task_history WHERE recorded_at < $1 ORDER BY id LIMIT $2));
