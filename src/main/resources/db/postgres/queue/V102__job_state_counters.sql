-- Every live job carries its state, and every change of state counts itself in queue_counter in
-- the same transaction, so that stats reads a handful of counter rows instead of the job table.
-- state: 'ready' (claimable), 'scheduled' (run_at is a delay's or a retry's end), 'running'
-- (leased until run_at). Time does not change it: the store writes the change when run_at comes.
ALTER TABLE job ADD COLUMN state TEXT NOT NULL DEFAULT 'ready';

-- A lease that ran out while no instance was running stays 'running' here; the stores turn it
-- back to ready (or dead-letter it) when they start, as they do with every due time they find then.
UPDATE job SET state = CASE WHEN receipt IS NOT NULL THEN 'running' ELSE 'scheduled' END
WHERE receipt IS NOT NULL OR run_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint;

-- Every insert names the state.
ALTER TABLE job ALTER COLUMN state DROP DEFAULT;

-- Claims, listings by state and the due-time lookups walk one (queue, state) part in due order.
DROP INDEX job_claim;
DROP INDEX job_exhausted;
CREATE INDEX job_state ON job (queue, state, run_at, id);

-- Counters per queue and state: ready, scheduled, running (live jobs), dead (job_dead rows) and
-- done (completions since the store was created). A queue's count is the sum of its shards: each
-- transaction adds to the shard of its connection (pg_backend_pid() % 16), so that concurrent
-- transactions, of this instance or another, do not queue up behind one row per state.
ALTER TABLE queue_counter RENAME TO queue_done;
ALTER INDEX queue_counter_pkey RENAME TO queue_done_pkey;

CREATE TABLE queue_counter (
  queue TEXT     NOT NULL,
  state TEXT     NOT NULL,
  shard SMALLINT NOT NULL,
  n     BIGINT   NOT NULL,
  PRIMARY KEY (queue, state, shard)
);

INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, state, 0, count(*) FROM job GROUP BY queue, state;
INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, 'dead', 0, count(*) FROM job_dead GROUP BY queue;
INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, 'done', 0, done FROM queue_done;

DROP TABLE queue_done;
