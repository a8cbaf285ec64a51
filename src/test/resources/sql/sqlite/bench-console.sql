-- name: dead
-- ?1 queue, ?2 enqueued_at, ?3 failed_at, ?4 how many: dead letters with consecutive ids.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?4)
INSERT INTO job_dead (job_id, queue, name, payload, is_json, enqueued_at, attempts, reason, error, failed_at)
SELECT i, ?1, 'bench-job', CAST('{"blob":"bafy-bench-job"}' AS BLOB), 1, ?2, 3, 'max_attempts',
       'boom: the bench failed it', ?3
FROM n

-- name: jobs
-- ?1 queue, ?2 state, ?3 enqueued_at, ?4 run_at, ?5 how many: live jobs of one state (running
-- ones hold a lease until run_at).
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?5)
INSERT INTO job (queue, name, payload, is_json, enqueued_at, run_at, attempts, max_attempts, receipt, state)
SELECT ?1, 'bench-job', CAST('{"blob":"bafy-bench-job"}' AS BLOB), 1, ?3, ?4,
       CASE WHEN ?2 = 'running' THEN 1 ELSE 0 END, 10, CASE WHEN ?2 = 'running' THEN 'r' || i END, ?2
FROM n
