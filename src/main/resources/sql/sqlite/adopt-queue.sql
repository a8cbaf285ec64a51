-- piri-db adopt, queue stores, SQLite's own statements (the shared ones are in
-- ../adopt-queue.sql). Piri's classic queue keeps RFC 3339 text times; they are read as epoch
-- milliseconds here.

-- name: classic-live
-- In Piri's claim order (oldest created first), so that new ids keep it.
SELECT queue, body, received,
       CAST(round(unixepoch(created, 'subsec') * 1000) AS INTEGER),
       CAST(round(unixepoch(timeout, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.jobqueue
ORDER BY queue, created, id;

-- name: classic-dead
SELECT queue, body, received,
       CAST(round(unixepoch(created, 'subsec') * 1000) AS INTEGER),
       job_name, failure_reason, error_message,
       CAST(round(unixepoch(moved_at, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.jobqueue_dead
ORDER BY queue, moved_at, id;
