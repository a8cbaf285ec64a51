-- Bulk operations of the queue stores (src/main/java/io/piri/db/queue/BulkEngine.java): the
-- operation rows, and the windows batches walk. Parameters are ?1..?N (rendered $1..$N for
-- PostgreSQL); the filtered statements, which differ, are in sqlite/bulk.sql and postgres/bulk.sql.

-- name: bulk-insert
-- The node that starts an operation holds its lease from the start: it runs it, and another
-- node that hears of it waits for that lease to run out.
INSERT INTO bulk_operation (queue, op, filter, state, matching, upto_id, actor, actor_role, via, started_at, updated_at,
                            lease_owner, lease_until)
VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)
RETURNING id;

-- name: bulk-get
SELECT id, queue, op, filter, state, matching, done, last_id, upto_id, actor, actor_role, via, started_at, updated_at,
       finished_at, lease_owner, lease_until
FROM bulk_operation WHERE id = ?1;

-- name: bulk-list
-- (queue or null, limit): newest first.
SELECT id, queue, op, filter, state, matching, done, last_id, upto_id, actor, actor_role, via, started_at, updated_at,
       finished_at, lease_owner, lease_until
FROM bulk_operation WHERE queue = coalesce(?1, queue) ORDER BY id DESC LIMIT ?2;

-- name: bulk-running
SELECT id FROM bulk_operation WHERE state = 'running' ORDER BY id;

-- name: bulk-lease
-- (id, owner, lease end, now): the operation's lease, when nobody else holds one that still runs.
UPDATE bulk_operation SET lease_owner = ?2, lease_until = ?3
WHERE id = ?1 AND state = 'running' AND (lease_owner IS NULL OR lease_owner = ?2 OR lease_until < ?4)
RETURNING id, lease_until;

-- name: bulk-renew
-- (id, owner, lease end, now): a batch's first statement. No row: the operation was cancelled, or
-- another node took it over, and the batch does nothing. On PostgreSQL it holds the row until
-- the batch commits, so a cancel waits for the batch rather than racing it.
UPDATE bulk_operation SET lease_until = ?3, updated_at = ?4
WHERE id = ?1 AND state = 'running' AND lease_owner = ?2
RETURNING queue, op, filter, last_id, upto_id, actor, actor_role, via;

-- name: bulk-advance
-- (id, rows done, last id walked, now)
UPDATE bulk_operation SET done = done + ?2, last_id = ?3, updated_at = ?4 WHERE id = ?1;

-- name: bulk-end
-- (id, state, now): done or cancelled, once.
UPDATE bulk_operation SET state = ?2, finished_at = ?3, updated_at = ?3, lease_owner = NULL
WHERE id = ?1 AND state = 'running'
RETURNING queue, op, filter, done, matching;

-- name: bulk-dead-upto
SELECT coalesce(max(id), 0) AS upto FROM job_dead WHERE queue = ?1;

-- name: bulk-live-upto
SELECT coalesce(max(id), 0) AS upto FROM job;

-- name: bulk-dead-window
-- (queue, after, upto, size): where the next batch of dead letters ends, walking the queue's
-- rows in id order, matching or not, so that a batch costs the same however few rows match. A
-- window of fewer than size rows is the last.
SELECT max(id) AS last, count(*) AS n FROM (SELECT id FROM job_dead WHERE queue = ?1 AND id > ?2 AND id <= ?3 ORDER BY id LIMIT ?4) AS w;

-- name: bulk-live-window
-- (after, upto, size): the same over the live jobs by their primary key, every queue's: the
-- table has no index by queue and id, and a bounded window keeps a batch short.
SELECT max(id) AS last, count(*) AS n FROM (SELECT id FROM job WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3) AS w;
