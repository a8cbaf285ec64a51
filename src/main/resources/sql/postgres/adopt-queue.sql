-- piri-db adopt, queue stores, PostgreSQL's own statements (the shared ones are in
-- ../adopt-queue.sql). Piri's classic queue keeps TIMESTAMPTZ times; they are read as epoch
-- milliseconds here.

-- name: classic-live
-- In Piri's claim order (oldest created first), so that new ids keep it.
SELECT queue, body, received,
       (extract(epoch FROM created) * 1000)::bigint,
       (extract(epoch FROM timeout) * 1000)::bigint
FROM piri_adopt_source.jobqueue
ORDER BY queue, created, id;

-- name: classic-dead
SELECT queue, body, received,
       (extract(epoch FROM created) * 1000)::bigint,
       job_name, failure_reason, error_message,
       (extract(epoch FROM moved_at) * 1000)::bigint
FROM piri_adopt_source.jobqueue_dead
ORDER BY queue, moved_at, id;
