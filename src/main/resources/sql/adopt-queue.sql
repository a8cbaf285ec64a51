-- piri-db adopt, queue stores: Piri's job queues (piri-jobqueue.md 2, 3) read from
-- piri_adopt_source, piri-db's job tables (db/<dialect>/queue/V100__job_queue.sql) written in the
-- store (SQLite: main; PostgreSQL: the store's schema). The statements that read the same in both
-- dialects; sqlite/adopt-queue.sql and postgres/adopt-queue.sql hold the rest. Plain JDBC ?
-- parameters, which both drivers take.

-- name: classic-queues
SELECT queue, count(*) FROM piri_adopt_source.jobqueue GROUP BY queue
UNION ALL
SELECT queue, count(*) FROM piri_adopt_source.jobqueue_dead GROUP BY queue;

-- name: dedup-queues
SELECT ns.queue, count(*)
FROM (SELECT ns_id FROM piri_adopt_source.jobs UNION ALL SELECT ns_id FROM piri_adopt_source.job_dead) x
JOIN piri_adopt_source.job_ns ns ON ns.id = x.ns_id
GROUP BY ns.queue;

-- name: dedup-live
SELECT ns.queue, ns.name, j.key, j.body, j.attempts, j.created_s * 1000, j.avail_s * 1000, j.id
FROM piri_adopt_source.jobs j JOIN piri_adopt_source.job_ns ns ON ns.id = j.ns_id
ORDER BY j.created_s, j.id;

-- name: dedup-dead
SELECT ns.queue, ns.name, d.id, d.key, d.body, d.attempts, d.reason, d.error, d.moved_s * 1000
FROM piri_adopt_source.job_dead d JOIN piri_adopt_source.job_ns ns ON ns.id = d.ns_id
ORDER BY d.id;

-- name: dedup-done
-- A key whose namespace is gone (job_done has no foreign key) comes back with a NULL queue.
SELECT ns.queue, ns.name, d.key, d.status, d.done_s * 1000
FROM piri_adopt_source.job_done d LEFT JOIN piri_adopt_source.job_ns ns ON ns.id = d.ns_id
ORDER BY d.ns_id, d.key;

-- name: job-insert
-- The state follows from what QueueCopy writes: in flight jobs carry a receipt, scheduled ones a
-- run_at after their creation, ready ones a run_at no later than it.
INSERT INTO job (queue, name, payload, is_json, dedupe_key, enqueued_at, run_at, attempts, max_attempts, receipt, state)
SELECT q, n, p, 0, k, e, r, a, m, rc, CASE WHEN rc IS NOT NULL THEN 'running' WHEN r > e THEN 'scheduled' ELSE 'ready' END
FROM (SELECT ? AS q, ? AS n, ? AS p, ? AS k, ? AS e, ? AS r, ? AS a, ? AS m, ? AS rc) AS v;

-- name: dead-insert
INSERT INTO job_dead (job_id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, reason, error, failed_at)
VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?);

-- name: done-insert
INSERT INTO job_done (queue, name, dedupe_key, status, done_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (queue, name, dedupe_key) DO NOTHING;

-- name: counts
SELECT (SELECT count(*) FROM job), (SELECT count(*) FROM job_dead), (SELECT count(*) FROM job_done);

-- Derived data (DerivedData.QUEUE): rebuilt from the rows just copied, in this order.

-- name: derive-counters
-- The counters stats reads, per queue and state (shard 0), from the rows just copied. Piri counts
-- no completions; the keys its dedupe queues recorded as done are the ones known.
INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, state, 0, count(*) FROM job GROUP BY queue, state
UNION ALL
SELECT queue, 'dead', 0, count(*) FROM job_dead GROUP BY queue
UNION ALL
SELECT queue, 'done', 0, count(*) FROM job_done WHERE status = 1 GROUP BY queue;
