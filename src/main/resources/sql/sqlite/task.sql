-- The scheduler's task engine (issue 4). Timestamps are epoch milliseconds.
-- Parameters are positional; the postgres file numbers them in the same order.

-- name: session-insert
INSERT INTO task_session (id, name, ttl_ms, opened_at, expires_at) VALUES (?, ?, ?, ?, ?);

-- name: session-heartbeat
UPDATE task_session SET expires_at = ? + ttl_ms WHERE id = ? AND expires_at > ? RETURNING expires_at;

-- Read the session before claiming; postgres also locks it so an expiry waits for the claim.
-- name: session-for-claim
SELECT expires_at FROM task_session WHERE id = ?;

-- name: session-get
SELECT expires_at FROM task_session WHERE id = ?;

-- name: session-for-close
SELECT expires_at FROM task_session WHERE id = ?;

-- name: session-held
SELECT COUNT(*) AS held FROM task WHERE session_id = ?;

-- Deleting a session releases its tasks through the foreign key (ON DELETE SET NULL).
-- name: session-delete
DELETE FROM task_session WHERE id = ?;

-- name: session-reap
DELETE FROM task_session WHERE expires_at <= ? RETURNING id;

-- When the expiry timer must look next: the first session expiry and the first waiting task.
-- name: next-due
SELECT (SELECT MIN(expires_at) FROM task_session) AS next_expiry,
       (SELECT MIN(runnable_at) FROM task WHERE session_id IS NULL AND runnable_at > ?) AS next_runnable;

-- name: task-insert
INSERT INTO task (update_time, posted_time, session_id, added_by, name, retries, runnable_at, deferrals, unique_key)
VALUES (?, ?, NULL, ?, ?, 0, ?, 0, ?)
ON CONFLICT (name, unique_key) DO NOTHING
RETURNING id;

-- name: task-find-unique
SELECT id FROM task WHERE name = ? AND unique_key = ?;

-- name: task-held-by-name
SELECT name, COUNT(*) AS held FROM task WHERE session_id = ? GROUP BY name;

-- Compare-and-set claim of up to N runnable tasks of one type (the single writer serialises it).
-- name: task-claim
UPDATE task SET session_id = ?, update_time = ?
WHERE id IN (SELECT id FROM task
             WHERE name = ? AND session_id IS NULL AND runnable_at <= ?
             ORDER BY runnable_at, id LIMIT ?)
  AND session_id IS NULL
RETURNING id, name, retries, posted_time, update_time, runnable_at;

-- name: task-for-complete
SELECT id, name, retries, deferrals, posted_time, session_id FROM task WHERE id = ?;

-- name: task-delete
DELETE FROM task WHERE id = ?;

-- name: task-requeue
UPDATE task SET session_id = NULL, retries = ?, deferrals = ?, update_time = ?, runnable_at = ? WHERE id = ?;

-- name: task-stats
SELECT name,
       SUM(CASE WHEN session_id IS NULL AND runnable_at <= ? THEN 1 ELSE 0 END) AS runnable,
       SUM(CASE WHEN session_id IS NULL AND runnable_at > ? THEN 1 ELSE 0 END) AS waiting,
       SUM(CASE WHEN session_id IS NOT NULL THEN 1 ELSE 0 END) AS running
FROM task GROUP BY name;

-- name: history-insert
INSERT INTO task_history (task_id, name, posted, work_start, work_end, result, err, completed_by_session_id,
                          outcome, state, recorded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);

-- name: history-page
SELECT * FROM task_history WHERE id > ? ORDER BY id LIMIT ?;

-- name: history-page-task
SELECT * FROM task_history WHERE task_id = ? AND id > ? ORDER BY id LIMIT ?;

-- name: history-page-name
SELECT * FROM task_history WHERE name = ? AND id > ? ORDER BY id LIMIT ?;

-- name: history-page-task-name
SELECT * FROM task_history WHERE task_id = ? AND name = ? AND id > ? ORDER BY id LIMIT ?;

-- name: history-oldest
SELECT MIN(recorded_at) AS oldest FROM task_history;

-- name: history-prune
DELETE FROM task_history WHERE id IN (SELECT id FROM task_history WHERE recorded_at < ? ORDER BY id LIMIT ?);
