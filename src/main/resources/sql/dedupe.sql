-- Where a dedupe key is (dedupe-lookup). Shared: ?1..?N (rendered $1..$N for PostgreSQL).
-- Each lookup is one index probe; the dead letters, which have no key index, are looked at in a
-- bounded window of the queue's newest.

-- name: dedupe-live
-- The live job holding the key: job_dedupe (queue, name, dedupe_key) finds it.
SELECT id, state, run_at, attempts, max_attempts FROM job WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3;

-- name: dedupe-done
-- The key's record once its job completed (status 1) or was dead-lettered (status 2): the primary key.
SELECT status, done_at FROM job_done WHERE queue = ?1 AND name = ?2 AND dedupe_key = ?3;

-- name: dedupe-dead
-- The newest dead letter with the key among the queue's newest ?4 (job_dead_queue walked backwards),
-- and how many were looked at: fewer than ?4 means every dead letter of the queue was.
SELECT CAST(max(CASE WHEN w.name = ?2 AND w.dedupe_key = ?3 THEN w.id END) AS BIGINT) AS id,
       CAST(count(*) AS BIGINT) AS seen
FROM (SELECT id, name, dedupe_key FROM job_dead WHERE queue = ?1 ORDER BY id DESC LIMIT ?4) AS w;
