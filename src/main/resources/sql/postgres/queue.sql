-- The job-queue engine, PostgreSQL's own statements (the shared ones are in ../queue.sql). Many
-- instances may share the schema: claims, due-time changes and reaps lock the rows they take with
-- FOR UPDATE SKIP LOCKED, and dedupe keys are serialized with transaction advisory locks (Tx.lock).

-- name: claim
-- (queue, now, max, lease end, state): up to max jobs of one state, in due order. The ids go
-- through an array so that the update probes the primary key once per row; a join lets the
-- planner walk the whole key index (and every dead entry a busy queue leaves in it). None of a
-- paused queue: the pause is not correlated with job, so it is one probe of queue_pause before the
-- walk (a one-time filter), and the statement's snapshot is taken after the claim's shared pause
-- lock (Pauses), so a pause committed before the claim began is always seen.
UPDATE job SET state = 'running', attempts = attempts + 1, run_at = $4, receipt = md5(random()::text),
               lease_start = $2, lease_extends = 0
WHERE id = ANY (ARRAY (
  SELECT id FROM job
  WHERE queue = $1 AND state = $5 AND run_at <= $2 AND attempts < max_attempts
    AND NOT EXISTS (SELECT 1 FROM queue_pause WHERE queue = $1)
  ORDER BY run_at, id LIMIT $3
  FOR UPDATE SKIP LOCKED))
RETURNING id, name, payload, is_json, attempts, max_attempts, enqueued_at, receipt;

-- name: make-ready
-- (queue, now, max, state): scheduled jobs whose time has come, or leases that ran out before the
-- last attempt, become ready; in due order, so that a batch takes the oldest.
UPDATE job SET state = 'ready'
WHERE id = ANY (ARRAY (
  SELECT id FROM job
  WHERE queue = $1 AND state = $4 AND run_at <= $2 AND attempts < max_attempts
  ORDER BY run_at, id LIMIT $3
  FOR UPDATE SKIP LOCKED));

-- name: hold
SELECT attempts, max_attempts, name, dedupe_key, state FROM job WHERE id = $1 AND queue = $2 AND receipt = $3 FOR UPDATE;

-- name: reap-select
-- Leases that ran out (strictly before now) on the last attempt.
SELECT id, name, dedupe_key FROM job
WHERE queue = $1 AND state = 'running' AND run_at < $2 AND attempts >= max_attempts
ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED;

-- name: dead-insert
INSERT INTO job_dead (job_id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, reason, error, failed_at)
SELECT id, queue, name, payload, is_json, dedupe_key, enqueued_at, attempts, $2,
       COALESCE($3::text, last_error, 'lease expired on the last attempt'), $4
FROM job WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint));

-- name: delete-ids
DELETE FROM job WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($1::text::jsonb)::bigint)) RETURNING state;

-- name: dead-take
SELECT id, name, payload, is_json, dedupe_key FROM job_dead
WHERE queue = $1 AND ($2::text::jsonb IS NULL OR id = ANY (ARRAY (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)))
ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED;

-- name: dead-delete
-- (queue, dead ids): probed by key; dead-delete-all takes a whole queue's. One statement for both
-- made the generic plan walk the queue's every dead letter for a list of a few ids.
DELETE FROM job_dead
WHERE id = ANY (ARRAY (SELECT jsonb_array_elements_text($2::text::jsonb)::bigint)) AND queue || '' = $1;

-- name: count-add
-- (queue, ready, scheduled, running, dead, done): what one transaction changed, added to its
-- connection's shard. Rows are taken in one order, so that two transactions on the same shard
-- wait for each other instead of deadlocking.
INSERT INTO queue_counter (queue, state, shard, n)
SELECT $1, d.state, pg_backend_pid() % 16, d.n
FROM (VALUES ('dead', $5::bigint), ('done', $6::bigint), ('ready', $2::bigint), ('running', $4::bigint),
             ('scheduled', $3::bigint)) AS d(state, n)
WHERE d.n <> 0
ORDER BY d.state
ON CONFLICT (queue, state, shard) DO UPDATE SET n = queue_counter.n + excluded.n;

-- Coalesced requests: many jobs or completions in one statement. Items travel as a JSON array
-- ({"n": name, "p": payload hex, "j": is_json, "d": delay_ms} and {"i": id, "r": receipt}).

-- name: insert-many
INSERT INTO job (queue, name, payload, is_json, enqueued_at, run_at, max_attempts, state)
SELECT $1, e.v ->> 'n', decode(e.v ->> 'p', 'hex'), (e.v ->> 'j')::smallint,
       $2, $2 + (e.v ->> 'd')::bigint, $3, CASE WHEN (e.v ->> 'd')::bigint > 0 THEN 'scheduled' ELSE 'ready' END
FROM jsonb_array_elements($4::text::jsonb) WITH ORDINALITY AS e(v, ord)
ORDER BY e.ord
RETURNING id;

-- name: complete-many
-- The delete probes the primary key once per item. The queue is compared as an expression (|| '')
-- so that the planner never reads the queue's part of the state index instead: with statistics
-- taken while the queue was small it did (as a hash join with the items, or a bitmap AND with the
-- key), and that cost grew with the backlog. An item may name a job twice (with different
-- receipts): any item with the current receipt matches.
DELETE FROM job j
WHERE j.id = ANY (ARRAY (SELECT (e.v ->> 'i')::bigint FROM jsonb_array_elements($2::text::jsonb) AS e(v)))
  AND j.queue || '' = $1
  AND EXISTS (SELECT 1 FROM jsonb_array_elements($2::text::jsonb) AS e(v)
              WHERE (e.v ->> 'i')::bigint = j.id AND e.v ->> 'r' = j.receipt)
RETURNING j.id, j.receipt, j.state, j.attempts;
