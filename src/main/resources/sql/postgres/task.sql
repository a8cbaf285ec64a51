-- The scheduler's task engine (issue 4). Timestamps are epoch milliseconds.
-- Parameters are numbered in the order of the sqlite file's positional ones.

-- name: session-insert
INSERT INTO task_session (id, name, ttl_ms, opened_at, expires_at) VALUES ($1, $2, $3, $4, $5);

-- name: session-heartbeat
UPDATE task_session SET expires_at = $1 + ttl_ms WHERE id = $2 AND expires_at > $3 RETURNING expires_at;

-- Read the session before claiming, and lock it: an expiry waits for the claim, and claims of one
-- session (through any instance) take turns, so each counts what the one before it took against
-- max_running.
-- name: session-for-claim
SELECT expires_at FROM task_session WHERE id = $1 FOR NO KEY UPDATE;

-- name: session-get
SELECT expires_at FROM task_session WHERE id = $1;

-- name: session-for-close
SELECT expires_at FROM task_session WHERE id = $1 FOR UPDATE;

-- name: session-held
SELECT COUNT(*) AS held FROM task WHERE session_id = $1;

-- Deleting a session releases its tasks through the foreign key (ON DELETE SET NULL).
-- name: session-delete
DELETE FROM task_session WHERE id = $1;

-- name: session-reap
DELETE FROM task_session WHERE expires_at <= $1 RETURNING id;

-- When the expiry timer must look next: the first session expiry and the first waiting task.
-- name: next-due
SELECT (SELECT MIN(expires_at) FROM task_session) AS next_expiry,
       (SELECT MIN(runnable_at) FROM task WHERE session_id IS NULL AND runnable_at > $1) AS next_runnable;

-- name: task-insert
INSERT INTO task (update_time, posted_time, session_id, added_by, name, retries, runnable_at, deferrals, unique_key)
VALUES ($1, $2, NULL, $3, $4, 0, $5, 0, $6)
ON CONFLICT (name, unique_key) DO NOTHING
RETURNING id;

-- name: task-find-unique
SELECT id FROM task WHERE name = $1 AND unique_key = $2;

-- name: task-held-by-name
SELECT name, COUNT(*) AS held FROM task WHERE session_id = $1 GROUP BY name;

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

-- name: task-delete
DELETE FROM task WHERE id = $1;

-- name: task-requeue
UPDATE task SET session_id = NULL, retries = $1, deferrals = $2, update_time = $3, runnable_at = $4 WHERE id = $5;

-- name: task-stats
SELECT name,
       SUM(CASE WHEN session_id IS NULL AND runnable_at <= $1 THEN 1 ELSE 0 END) AS runnable,
       SUM(CASE WHEN session_id IS NULL AND runnable_at > $2 THEN 1 ELSE 0 END) AS waiting,
       SUM(CASE WHEN session_id IS NOT NULL THEN 1 ELSE 0 END) AS running
FROM task GROUP BY name;

-- name: history-insert
INSERT INTO task_history (task_id, name, posted, work_start, work_end, result, err, completed_by_session_id,
                          outcome, state, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);

-- name: history-page
SELECT * FROM task_history WHERE id > $1 ORDER BY id LIMIT $2;

-- name: history-page-task
SELECT * FROM task_history WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3;

-- name: history-page-name
SELECT * FROM task_history WHERE name = $1 AND id > $2 ORDER BY id LIMIT $3;

-- name: history-page-task-name
SELECT * FROM task_history WHERE task_id = $1 AND name = $2 AND id > $3 ORDER BY id LIMIT $4;

-- name: history-oldest
SELECT MIN(recorded_at) AS oldest FROM task_history;

-- The batch goes through an array, computed once (see task-claim).
-- name: history-prune
DELETE FROM task_history WHERE id = ANY (ARRAY (SELECT id FROM task_history WHERE recorded_at < $1 ORDER BY id LIMIT $2));
