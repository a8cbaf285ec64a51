-- piri-db adopt, Scheduler store, PostgreSQL's own statements (the shared ones are in
-- ../adopt-scheduler.sql). Piri's TIMESTAMPTZ times become epoch milliseconds.

-- name: parked-pieces-kept
-- Piri parks the same piece again on every retry of its commp job; piri-db keeps one parked
-- piece per (piece_cid, piece_padded_size) among long-term ones: the oldest.
SELECT count(*) FROM piri_adopt_source.parked_pieces p
WHERE NOT (p.long_term AND EXISTS (
  SELECT 1 FROM piri_adopt_source.parked_pieces q
  WHERE q.long_term AND q.piece_cid = p.piece_cid AND q.piece_padded_size = p.piece_padded_size AND q.id < p.id));

-- name: copy-task
-- Held tasks are released (their session ended with Piri); retries are kept.
INSERT INTO task (id, initiated_by, update_time, posted_time, session_id, added_by, previous_task, name, retries,
                  runnable_at, deferrals, unique_key)
SELECT id, initiated_by,
       (extract(epoch FROM update_time) * 1000)::bigint,
       (extract(epoch FROM posted_time) * 1000)::bigint,
       NULL, added_by, previous_task, name, retries,
       (extract(epoch FROM update_time) * 1000)::bigint, 0, NULL
FROM piri_adopt_source.task ORDER BY id;

-- name: copy-message-waits
-- created_at and confirmed_at are piri-db's own: Piri keeps no time for a wait, so both start at
-- the adoption (now, now).
INSERT INTO message_waits_eth (signed_tx_hash, waiter_machine_id, confirmed_block_number, confirmed_tx_hash,
                               confirmed_tx_data, tx_status, tx_receipt, tx_success, created_at, confirmed_at)
SELECT signed_tx_hash, waiter_machine_id, confirmed_block_number, confirmed_tx_hash,
       confirmed_tx_data, nullif(tx_status, ''), tx_receipt, tx_success,
       ?, CASE WHEN tx_status IN ('confirmed', 'failed') THEN ? END
FROM piri_adopt_source.message_waits_eth;

-- name: copy-message-sends
INSERT INTO message_sends_eth (send_task_id, from_address, to_address, send_reason, unsigned_tx, unsigned_hash, nonce,
                               signed_tx, signed_hash, send_time, send_success, send_error)
SELECT send_task_id, from_address, to_address, send_reason, unsigned_tx, unsigned_hash, nonce, signed_tx, signed_hash,
       (extract(epoch FROM send_time) * 1000)::bigint, send_success, send_error
FROM piri_adopt_source.message_sends_eth;

-- name: copy-send-locks
INSERT INTO message_send_eth_locks (from_address, task_id, claimed_at)
SELECT from_address, task_id, (extract(epoch FROM claimed_at) * 1000)::bigint
FROM piri_adopt_source.message_send_eth_locks;

-- name: copy-parked-pieces
INSERT INTO parked_pieces (id, created_at, piece_cid, piece_padded_size, piece_raw_size, complete, task_id,
                           cleanup_task_id, long_term)
SELECT p.id, (extract(epoch FROM p.created_at) * 1000)::bigint, p.piece_cid, p.piece_padded_size,
       p.piece_raw_size, p.complete, p.task_id, p.cleanup_task_id, p.long_term
FROM piri_adopt_source.parked_pieces p
WHERE NOT (p.long_term AND EXISTS (
  SELECT 1 FROM piri_adopt_source.parked_pieces q
  WHERE q.long_term AND q.piece_cid = p.piece_cid AND q.piece_padded_size = p.piece_padded_size AND q.id < p.id))
ORDER BY p.id;

-- name: copy-parked-piece-refs
-- A ref of a parked piece that was not kept points to the one kept for the same piece.
INSERT INTO parked_piece_refs (ref_id, piece_id, data_url, data_headers, long_term)
SELECT r.ref_id,
       CASE WHEN p.long_term THEN (
         SELECT min(q.id) FROM piri_adopt_source.parked_pieces q
         WHERE q.long_term AND q.piece_cid = p.piece_cid AND q.piece_padded_size = p.piece_padded_size)
       ELSE r.piece_id END,
       r.data_url, r.data_headers, r.long_term
FROM piri_adopt_source.parked_piece_refs r LEFT JOIN piri_adopt_source.parked_pieces p ON p.id = r.piece_id
ORDER BY r.ref_id;

-- name: copy-piece-uploads
INSERT INTO pdp_piece_uploads (id, service, check_hash_codec, check_hash, check_size, piece_cid, notify_url,
                               notify_task_id, piece_ref, created_at)
SELECT id, service, check_hash_codec, check_hash, check_size, piece_cid, notify_url, notify_task_id, piece_ref,
       (extract(epoch FROM created_at) * 1000)::bigint
FROM piri_adopt_source.pdp_piece_uploads;

-- name: copy-piecerefs
INSERT INTO pdp_piecerefs (id, service, piece_cid, piece_ref, created_at, proofset_refcount)
SELECT id, service, piece_cid, piece_ref, (extract(epoch FROM created_at) * 1000)::bigint,
       proofset_refcount
FROM piri_adopt_source.pdp_piecerefs ORDER BY id;

-- name: copy-proofset-creates
INSERT INTO pdp_proofset_creates (create_message_hash, ok, proofset_created, service, created_at)
SELECT create_message_hash, ok, proofset_created, service,
       (extract(epoch FROM created_at) * 1000)::bigint
FROM piri_adopt_source.pdp_proofset_creates;

-- name: copy-provider-registrations
INSERT INTO pdp_provider_registrations (register_message_hash, ok, provider_registered, provider_id, service, created_at)
SELECT register_message_hash, ok, provider_registered, provider_id, service,
       (extract(epoch FROM created_at) * 1000)::bigint
FROM piri_adopt_source.pdp_provider_registrations;

-- name: copy-rail-waits
INSERT INTO rail_settlement_waits (rail_id, signed_tx_hash, created_at)
SELECT rail_id, signed_tx_hash, (extract(epoch FROM created_at) * 1000)::bigint
FROM piri_adopt_source.rail_settlement_waits;

-- name: copy-withdrawal-waits
INSERT INTO withdrawal_waits (id, signed_tx_hash, created_at)
SELECT id, signed_tx_hash, (extract(epoch FROM created_at) * 1000)::bigint
FROM piri_adopt_source.withdrawal_waits ORDER BY id;

-- Derived data (DerivedData.SCHEDULER): rebuilt from the rows just copied, in this order.

-- name: derive-id-counters
-- Explicit ids leave identity sequences behind: each restarts past the highest id carried, and
-- past every id Piri's own sequence handed out (a deleted task's id is still in history and in
-- message_sends_eth.send_task_id).
SELECT setval(pg_get_serial_sequence(c.tbl, c.col), greatest(c.top, 1), c.top >= 1)
FROM (
  SELECT 'task' AS tbl, 'id' AS col, greatest((SELECT coalesce(max(id), 0) FROM task),
    coalesce(pg_sequence_last_value(pg_get_serial_sequence('piri_adopt_source.task', 'id')::regclass), 0)) AS top
  UNION ALL SELECT 'task_history', 'id', greatest((SELECT coalesce(max(id), 0) FROM task_history),
    coalesce(pg_sequence_last_value(pg_get_serial_sequence('piri_adopt_source.task_history', 'id')::regclass), 0))
  UNION ALL SELECT 'parked_pieces', 'id', greatest((SELECT coalesce(max(id), 0) FROM parked_pieces),
    coalesce(pg_sequence_last_value(pg_get_serial_sequence('piri_adopt_source.parked_pieces', 'id')::regclass), 0))
  UNION ALL SELECT 'parked_piece_refs', 'ref_id', greatest((SELECT coalesce(max(ref_id), 0) FROM parked_piece_refs),
    coalesce(pg_sequence_last_value(pg_get_serial_sequence('piri_adopt_source.parked_piece_refs', 'ref_id')::regclass), 0))
  UNION ALL SELECT 'pdp_piecerefs', 'id', greatest((SELECT coalesce(max(id), 0) FROM pdp_piecerefs),
    coalesce(pg_sequence_last_value(pg_get_serial_sequence('piri_adopt_source.pdp_piecerefs', 'id')::regclass), 0))
  UNION ALL SELECT 'withdrawal_waits', 'id', (SELECT coalesce(max(id), 0) FROM withdrawal_waits)
) c;

-- name: copy-task-history
-- outcome and state are piri-db's: a failed run whose task is gone and that was the task's last
-- run is the one that dropped it.
INSERT INTO task_history (id, task_id, name, posted, work_start, work_end, result, err, completed_by_session_id,
                          outcome, state, recorded_at)
SELECT h.id, h.task_id, h.name,
       (extract(epoch FROM h.posted) * 1000)::bigint,
       (extract(epoch FROM h.work_start) * 1000)::bigint,
       (extract(epoch FROM h.work_end) * 1000)::bigint,
       h.result, h.err, h.completed_by_session_id,
       CASE WHEN h.result THEN 'done' WHEN h.err LIKE 'deferred%' THEN 'deferred' ELSE 'failed' END,
       CASE WHEN h.result THEN 'deleted'
            WHEN h.err LIKE 'deferred%' THEN 'requeued'
            WHEN h.id = h.last_id AND t.id IS NULL THEN 'dropped'
            ELSE 'requeued' END,
       (extract(epoch FROM h.work_end) * 1000)::bigint
FROM (SELECT *, max(id) OVER (PARTITION BY task_id) AS last_id FROM piri_adopt_source.task_history) h
LEFT JOIN piri_adopt_source.task t ON t.id = h.task_id
ORDER BY h.id;
