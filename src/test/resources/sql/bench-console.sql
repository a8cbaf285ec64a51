-- The console benchmarks' seeding, run over plain JDBC before the node starts (bare ? are JDBC's).

-- name: first-dead-after
-- The id a page cursor stands at: the dead letter at 0-based position ? of the queue, by id.
SELECT id FROM job_dead WHERE queue = ? ORDER BY id LIMIT 1 OFFSET ?

-- name: counters-clear
-- The counters made exact again after seeding, by the statements of migration V102.
DELETE FROM queue_counter WHERE state <> 'done'

-- name: counters-live
INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, state, 0, count(*) FROM job GROUP BY queue, state

-- name: counters-dead
INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, 'dead', 0, count(*) FROM job_dead GROUP BY queue
