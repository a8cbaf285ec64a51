-- Bulk operations, SQLite's filtered statements (the shared ones are in ../bulk.sql). Every one
-- takes the same parameters: (queue, after id, up to id, name, error prefix, from, to, ids as a
-- JSON array), and the live jobs' ones the states as a JSON array; a null filter field matches
-- everything. from and to are
-- inclusive epoch ms: failed_at of dead letters, enqueued_at of live jobs.

-- name: bulk-dead-count
SELECT count(*) AS n FROM job_dead
WHERE queue = ?1 AND id > ?2 AND id <= ?3 AND (?4 IS NULL OR name = ?4)
  AND (?5 IS NULL OR substr(error, 1, length(?5)) = ?5) AND (?6 IS NULL OR failed_at >= ?6)
  AND (?7 IS NULL OR failed_at <= ?7) AND (?8 IS NULL OR id IN (SELECT value FROM json_each(?8)));

-- name: bulk-dead-take
SELECT id, name, payload, is_json, dedupe_key FROM job_dead
WHERE queue = ?1 AND id > ?2 AND id <= ?3 AND (?4 IS NULL OR name = ?4)
  AND (?5 IS NULL OR substr(error, 1, length(?5)) = ?5) AND (?6 IS NULL OR failed_at >= ?6)
  AND (?7 IS NULL OR failed_at <= ?7) AND (?8 IS NULL OR id IN (SELECT value FROM json_each(?8)))
ORDER BY id;

-- name: bulk-dead-ids
SELECT id FROM job_dead
WHERE queue = ?1 AND id > ?2 AND id <= ?3 AND (?4 IS NULL OR name = ?4)
  AND (?5 IS NULL OR substr(error, 1, length(?5)) = ?5) AND (?6 IS NULL OR failed_at >= ?6)
  AND (?7 IS NULL OR failed_at <= ?7) AND (?8 IS NULL OR id IN (SELECT value FROM json_each(?8)));

-- name: bulk-live-count
SELECT count(*) AS n FROM job
WHERE queue = ?1 AND id > ?2 AND id <= ?3 AND (?4 IS NULL OR name = ?4)
  AND (?5 IS NULL OR substr(last_error, 1, length(?5)) = ?5) AND (?6 IS NULL OR enqueued_at >= ?6)
  AND (?7 IS NULL OR enqueued_at <= ?7) AND (?8 IS NULL OR id IN (SELECT value FROM json_each(?8)))
  AND state IN (SELECT value FROM json_each(?9));

-- name: bulk-live-take
-- The unary + keeps the planner on the primary key's window rather than the queue's index.
SELECT id, name, dedupe_key, state FROM job
WHERE +queue = ?1 AND id > ?2 AND id <= ?3 AND (?4 IS NULL OR name = ?4)
  AND (?5 IS NULL OR substr(last_error, 1, length(?5)) = ?5) AND (?6 IS NULL OR enqueued_at >= ?6)
  AND (?7 IS NULL OR enqueued_at <= ?7) AND (?8 IS NULL OR id IN (SELECT value FROM json_each(?8)))
  AND state IN (SELECT value FROM json_each(?9))
ORDER BY id;
