-- The scheduler's task engine (src/main/java/io/piri/db/scheduler): the statements that read the
-- same in both dialects, with ?1..?N (rendered $1..$N for PostgreSQL). What differs lives in
-- sqlite/task.sql and postgres/task.sql. Timestamps are epoch milliseconds.

-- name: session-insert
INSERT INTO task_session (id, name, ttl_ms, opened_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5);

-- name: session-heartbeat
UPDATE task_session SET expires_at = ?1 + ttl_ms WHERE id = ?2 AND expires_at > ?3 RETURNING expires_at;

-- name: session-get
SELECT expires_at FROM task_session WHERE id = ?1;

-- name: session-held
SELECT COUNT(*) AS held FROM task WHERE session_id = ?1;

-- Deleting a session releases its tasks through the foreign key (ON DELETE SET NULL).
-- name: session-delete
DELETE FROM task_session WHERE id = ?1;

-- Live sessions by id after a cursor; the last heartbeat (or the opening) is ttl_ms before the
-- expiry, which every heartbeat sets to now + ttl_ms.
-- name: session-list
SELECT s.id, s.name, s.ttl_ms, s.opened_at, s.expires_at, s.expires_at - s.ttl_ms AS heartbeat_at,
       (SELECT COUNT(*) FROM task t WHERE t.session_id = s.id) AS tasks
FROM task_session s WHERE s.expires_at > ?1 AND s.id > ?2 ORDER BY s.id LIMIT ?3;

-- name: session-reap
DELETE FROM task_session WHERE expires_at <= ?1 RETURNING id;

-- When the expiry timer must look next: the first session expiry and the first waiting task.
-- name: next-due
SELECT (SELECT MIN(expires_at) FROM task_session) AS next_expiry,
       (SELECT MIN(runnable_at) FROM task WHERE session_id IS NULL AND runnable_at > ?1) AS next_runnable;

-- name: task-insert
INSERT INTO task (update_time, posted_time, session_id, added_by, name, retries, runnable_at, deferrals, unique_key)
VALUES (?1, ?2, NULL, ?3, ?4, 0, ?5, 0, ?6)
ON CONFLICT (name, unique_key) DO NOTHING
RETURNING id;

-- name: task-find-unique
SELECT id FROM task WHERE name = ?1 AND unique_key = ?2;

-- name: task-held-by-name
SELECT name, COUNT(*) AS held FROM task WHERE session_id = ?1 GROUP BY name;

-- name: task-delete
DELETE FROM task WHERE id = ?1;

-- name: task-requeue
UPDATE task SET session_id = NULL, retries = ?1, deferrals = ?2, update_time = ?3, runnable_at = ?4 WHERE id = ?5;

-- name: task-stats
SELECT name,
       SUM(CASE WHEN session_id IS NULL AND runnable_at <= ?1 THEN 1 ELSE 0 END) AS runnable,
       SUM(CASE WHEN session_id IS NULL AND runnable_at > ?2 THEN 1 ELSE 0 END) AS waiting,
       SUM(CASE WHEN session_id IS NOT NULL THEN 1 ELSE 0 END) AS running
FROM task GROUP BY name;

-- name: history-insert
INSERT INTO task_history (task_id, name, posted, work_start, work_end, result, err, completed_by_session_id,
                          outcome, state, recorded_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11);

-- name: history-page
SELECT * FROM task_history WHERE id > ?1 ORDER BY id LIMIT ?2;

-- name: history-page-task
SELECT * FROM task_history WHERE task_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3;

-- name: history-page-name
SELECT * FROM task_history WHERE name = ?1 AND id > ?2 ORDER BY id LIMIT ?3;

-- name: history-page-task-name
SELECT * FROM task_history WHERE task_id = ?1 AND name = ?2 AND id > ?3 ORDER BY id LIMIT ?4;

-- name: history-oldest
SELECT MIN(recorded_at) AS oldest FROM task_history;
