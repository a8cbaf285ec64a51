-- Every live job carries its state, and every change of state counts itself in queue_counter in
-- the same transaction, so that stats reads a handful of counter rows instead of the job table.
-- state: 'ready' (claimable), 'scheduled' (run_at is a delay's or a retry's end), 'running'
-- (leased until run_at). Time does not change it: the store writes the change when run_at comes.
-- SQLite cannot drop a column default; every insert names the state.
ALTER TABLE job ADD COLUMN state TEXT NOT NULL DEFAULT 'ready';

-- A lease that ran out while the store was down stays 'running' here; the store turns it back to
-- ready (or dead-letters it) when it starts, as it does with every due time it finds then.
UPDATE job SET state = CASE WHEN receipt IS NOT NULL THEN 'running' ELSE 'scheduled' END
WHERE receipt IS NOT NULL OR run_at > CAST(unixepoch('subsec') * 1000 AS INTEGER);

-- Claims, listings by state and the due-time lookups walk one (queue, state) part in due order.
DROP INDEX job_claim;
DROP INDEX job_exhausted;
CREATE INDEX job_state ON job (queue, state, run_at, id);

-- Counters per queue and state: ready, scheduled, running (live jobs), dead (job_dead rows) and
-- done (completions since the store was created). shard is always 0 here: the one writer
-- serializes every transaction anyway.
ALTER TABLE queue_counter RENAME TO queue_done;

CREATE TABLE queue_counter (
  queue TEXT    NOT NULL,
  state TEXT    NOT NULL,
  shard INTEGER NOT NULL,
  n     INTEGER NOT NULL,
  PRIMARY KEY (queue, state, shard)
) STRICT, WITHOUT ROWID;

INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, state, 0, count(*) FROM job GROUP BY queue, state;
INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, 'dead', 0, count(*) FROM job_dead GROUP BY queue;
INSERT INTO queue_counter (queue, state, shard, n)
SELECT queue, 'done', 0, done FROM queue_done;

DROP TABLE queue_done;
