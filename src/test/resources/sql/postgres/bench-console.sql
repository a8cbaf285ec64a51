-- name: dead
-- queue, enqueued_at, failed_at, how many: dead letters with consecutive ids.
INSERT INTO job_dead (job_id, queue, name, payload, is_json, enqueued_at, attempts, reason, error, failed_at)
SELECT i, ?, 'bench-job', convert_to('{"blob":"bafy-bench-job"}', 'UTF8'), 1, ?, 3, 'max_attempts',
       'boom: the bench failed it', ?
FROM generate_series(1, ?) i

-- name: jobs
-- queue, state, enqueued_at, run_at, how many: live jobs of one state (running ones hold a lease
-- until run_at).
INSERT INTO job (queue, name, payload, is_json, enqueued_at, run_at, attempts, max_attempts, receipt, state)
SELECT q.queue, 'bench-job', convert_to('{"blob":"bafy-bench-job"}', 'UTF8'), 1, q.enqueued_at, q.run_at,
       CASE WHEN q.state = 'running' THEN 1 ELSE 0 END, 10, CASE WHEN q.state = 'running' THEN 'r' || i END, q.state
FROM (SELECT CAST(? AS TEXT) AS queue, CAST(? AS TEXT) AS state, CAST(? AS BIGINT) AS enqueued_at,
             CAST(? AS BIGINT) AS run_at) q, generate_series(1, ?) i

-- name: analyze (postgres only)
-- Fresh statistics and visibility, as autovacuum gives a server that has run for a while.
VACUUM ANALYZE
