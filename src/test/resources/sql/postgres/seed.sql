-- name: dead
-- queue, time, how many: dead letters of jobs 1..n, as ConsoleTestBase.deadLetters makes them
-- through the store (job-<i>, payload {"secret":"s-<i>"}, failed for good with "boom job-<i>"),
-- enqueued and failed at that time.
INSERT INTO job_dead (job_id, queue, name, payload, is_json, enqueued_at, attempts, reason, error, failed_at)
SELECT i, p.queue, 'job-' || i, convert_to('{"secret":"s-' || i || '"}', 'UTF8'), 1, p.at, 1, 'permanent_error',
       'boom job-' || i, p.at
FROM (SELECT CAST(? AS TEXT) AS queue, CAST(? AS BIGINT) AS at) p, generate_series(1, ?) i

-- name: job-ids-taken
-- how many: a store that has had no job yet hands out job ids after the dead letters' 1..n.
SELECT setval(pg_get_serial_sequence('job', 'id'), ?)
