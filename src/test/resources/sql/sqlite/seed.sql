-- name: dead
-- ?1 queue, ?2 time, ?3 how many: dead letters of jobs 1..?3, as ConsoleTestBase.deadLetters
-- makes them through the store (job-<i>, payload {"secret":"s-<i>"}, failed for good with
-- "boom job-<i>"), enqueued and failed at ?2.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
INSERT INTO job_dead (job_id, queue, name, payload, is_json, enqueued_at, attempts, reason, error, failed_at)
SELECT i, ?1, 'job-' || i, CAST('{"secret":"s-' || i || '"}' AS BLOB), 1, ?2, 1, 'permanent_error', 'boom job-' || i, ?2
FROM n

-- name: job-ids-taken
-- ?1 how many: a store that has had no job yet hands out job ids after the dead letters' 1..?1.
INSERT INTO sqlite_sequence (name, seq) VALUES ('job', ?1)
