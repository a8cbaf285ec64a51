-- The task engine, SQLite's own statements (the shared ones are in ../task.sql). The single writer
-- serializes every statement, so the reads that lock on PostgreSQL are plain reads here.

-- name: session-for-claim
SELECT expires_at FROM task_session WHERE id = ?1;

-- name: session-for-close
SELECT expires_at FROM task_session WHERE id = ?1;

-- Compare-and-set claim of up to N runnable tasks of one type.
-- name: task-claim
UPDATE task SET session_id = ?1, update_time = ?2
WHERE id IN (SELECT id FROM task
             WHERE name = ?3 AND session_id IS NULL AND runnable_at <= ?4
             ORDER BY runnable_at, id LIMIT ?5)
  AND session_id IS NULL
RETURNING id, name, retries, posted_time, update_time, runnable_at;

-- name: task-for-complete
SELECT id, name, retries, deferrals, posted_time, session_id FROM task WHERE id = ?1;

-- name: history-prune
DELETE FROM task_history WHERE id IN (SELECT id FROM task_history WHERE recorded_at < ?1 ORDER BY id LIMIT ?2);
