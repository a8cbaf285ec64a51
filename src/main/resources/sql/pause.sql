-- Pausing and resuming queues (src/main/java/io/piri/db/queue/Pauses.java), the same in both
-- dialects: ?1..?N (rendered $1..$N for PostgreSQL). Times are epoch milliseconds. Claims read
-- queue_pause in their own statement (claim in sqlite/queue.sql and postgres/queue.sql).

-- name: pause-insert
-- (queue, at, by): a queue already paused keeps when and by whom it was paused first.
INSERT INTO queue_pause (queue, paused_at, paused_by) VALUES (?1, ?2, ?3)
ON CONFLICT (queue) DO NOTHING
RETURNING queue;

-- name: pause-get
SELECT queue, paused_at, paused_by FROM queue_pause WHERE queue = ?1;

-- name: pause-delete
DELETE FROM queue_pause WHERE queue = ?1 RETURNING queue;

-- name: pause-list
SELECT queue, paused_at, paused_by FROM queue_pause;
