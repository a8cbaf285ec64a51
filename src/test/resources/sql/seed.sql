-- Dead letters written over plain JDBC into a stopped node's store (support/DeadLetterSeed.java);
-- the bare ? are JDBC's. The dialects' insert statements are in sqlite/seed.sql and postgres/seed.sql.

-- name: dead-counter-clear
-- (queue): the queue's dead counter, made exact below, as migration V102 counts it.
DELETE FROM queue_counter WHERE queue = ? AND state = 'dead'

-- name: dead-counter
-- (queue, queue)
INSERT INTO queue_counter (queue, state, shard, n)
SELECT ?, 'dead', 0, count(*) FROM job_dead WHERE queue = ?
