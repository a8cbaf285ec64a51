-- piri-db adopt, Scheduler store, SQLite's own statements (the shared ones are in
-- ../adopt-scheduler.sql). Piri's times are GORM's text (Go's layout with the process's offset,
-- or CURRENT_TIMESTAMP's UTC): they become epoch milliseconds.

-- name: parked-pieces-kept
-- Piri parks the same piece again on every retry of its commp job; piri-db keeps one parked
-- piece per (piece_cid, piece_padded_size) among long-term ones: the oldest.
SELECT count(*) FROM piri_adopt_source.parked_pieces p
WHERE NOT (p.long_term <> 0 AND EXISTS (
  SELECT 1 FROM piri_adopt_source.parked_pieces q
  WHERE q.long_term <> 0 AND q.piece_cid = p.piece_cid AND q.piece_padded_size = p.piece_padded_size AND q.id < p.id));

-- name: copy-task
-- Held tasks are released (their session ended with Piri); retries are kept.
INSERT INTO task (id, initiated_by, update_time, posted_time, session_id, added_by, previous_task, name, retries,
                  runnable_at, deferrals, unique_key)
SELECT id, initiated_by,
       CAST(round(unixepoch(update_time, 'subsec') * 1000) AS INTEGER),
       CAST(round(unixepoch(posted_time, 'subsec') * 1000) AS INTEGER),
       NULL, added_by, previous_task, name, retries,
       CAST(round(unixepoch(update_time, 'subsec') * 1000) AS INTEGER), 0, NULL
FROM piri_adopt_source.task ORDER BY id;

-- name: copy-message-waits
-- created_at and confirmed_at are piri-db's own: Piri keeps no time for a wait, so both start at
-- the adoption (now, now).
INSERT INTO message_waits_eth (signed_tx_hash, waiter_machine_id, confirmed_block_number, confirmed_tx_hash,
                               confirmed_tx_data, tx_status, tx_receipt, tx_success, created_at, confirmed_at)
SELECT signed_tx_hash, waiter_machine_id, confirmed_block_number, confirmed_tx_hash,
       CAST(confirmed_tx_data AS TEXT), nullif(tx_status, ''), CAST(tx_receipt AS TEXT), tx_success,
       ?, CASE WHEN tx_status IN ('confirmed', 'failed') THEN ? END
FROM piri_adopt_source.message_waits_eth;

-- name: copy-message-sends
INSERT INTO message_sends_eth (send_task_id, from_address, to_address, send_reason, unsigned_tx, unsigned_hash, nonce,
                               signed_tx, signed_hash, send_time, send_success, send_error)
SELECT send_task_id, from_address, to_address, send_reason, unsigned_tx, unsigned_hash, nonce, signed_tx, signed_hash,
       CAST(round(unixepoch(send_time, 'subsec') * 1000) AS INTEGER), send_success, send_error
FROM piri_adopt_source.message_sends_eth;

-- name: copy-send-locks
INSERT INTO message_send_eth_locks (from_address, task_id, claimed_at)
SELECT from_address, task_id, CAST(round(unixepoch(claimed_at, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.message_send_eth_locks;

-- name: copy-parked-pieces
INSERT INTO parked_pieces (id, created_at, piece_cid, piece_padded_size, piece_raw_size, complete, task_id,
                           cleanup_task_id, long_term)
SELECT p.id, CAST(round(unixepoch(p.created_at, 'subsec') * 1000) AS INTEGER), p.piece_cid, p.piece_padded_size,
       p.piece_raw_size, p.complete, p.task_id, p.cleanup_task_id, p.long_term
FROM piri_adopt_source.parked_pieces p
WHERE NOT (p.long_term <> 0 AND EXISTS (
  SELECT 1 FROM piri_adopt_source.parked_pieces q
  WHERE q.long_term <> 0 AND q.piece_cid = p.piece_cid AND q.piece_padded_size = p.piece_padded_size AND q.id < p.id))
ORDER BY p.id;

-- name: copy-parked-piece-refs
-- A ref of a parked piece that was not kept points to the one kept for the same piece.
INSERT INTO parked_piece_refs (ref_id, piece_id, data_url, data_headers, long_term)
SELECT r.ref_id,
       CASE WHEN p.long_term <> 0 THEN (
         SELECT min(q.id) FROM piri_adopt_source.parked_pieces q
         WHERE q.long_term <> 0 AND q.piece_cid = p.piece_cid AND q.piece_padded_size = p.piece_padded_size)
       ELSE r.piece_id END,
       r.data_url, CAST(r.data_headers AS TEXT), r.long_term
FROM piri_adopt_source.parked_piece_refs r LEFT JOIN piri_adopt_source.parked_pieces p ON p.id = r.piece_id
ORDER BY r.ref_id;

-- name: copy-piece-uploads
INSERT INTO pdp_piece_uploads (id, service, check_hash_codec, check_hash, check_size, piece_cid, notify_url,
                               notify_task_id, piece_ref, created_at)
SELECT id, service, check_hash_codec, check_hash, check_size, piece_cid, notify_url, notify_task_id, piece_ref,
       CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.pdp_piece_uploads;

-- name: copy-piecerefs
INSERT INTO pdp_piecerefs (id, service, piece_cid, piece_ref, created_at, proofset_refcount)
SELECT id, service, piece_cid, piece_ref, CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER),
       proofset_refcount
FROM piri_adopt_source.pdp_piecerefs ORDER BY id;

-- name: copy-proofset-creates
INSERT INTO pdp_proofset_creates (create_message_hash, ok, proofset_created, service, created_at)
SELECT create_message_hash, ok, proofset_created, service,
       CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.pdp_proofset_creates;

-- name: copy-provider-registrations
INSERT INTO pdp_provider_registrations (register_message_hash, ok, provider_registered, provider_id, service, created_at)
SELECT register_message_hash, ok, provider_registered, provider_id, service,
       CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.pdp_provider_registrations;

-- name: copy-rail-waits
INSERT INTO rail_settlement_waits (rail_id, signed_tx_hash, created_at)
SELECT rail_id, signed_tx_hash, CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.rail_settlement_waits;

-- name: copy-withdrawal-waits
INSERT INTO withdrawal_waits (id, signed_tx_hash, created_at)
SELECT id, signed_tx_hash, CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER)
FROM piri_adopt_source.withdrawal_waits ORDER BY id;

-- Derived data (DerivedData.SCHEDULER): rebuilt from the rows just copied, in this order.

-- name: derive-id-counters
-- AUTOINCREMENT never hands out an id Piri handed out, even one whose row was deleted.
UPDATE main.sqlite_sequence
SET seq = (SELECT s.seq FROM piri_adopt_source.sqlite_sequence s WHERE s.name = main.sqlite_sequence.name)
WHERE name IN ('task', 'task_history', 'parked_pieces', 'parked_piece_refs', 'pdp_piecerefs', 'withdrawal_waits')
  AND seq < (SELECT s.seq FROM piri_adopt_source.sqlite_sequence s WHERE s.name = main.sqlite_sequence.name);

-- name: derive-id-counters-first (sqlite only)
INSERT INTO main.sqlite_sequence (name, seq)
SELECT s.name, s.seq FROM piri_adopt_source.sqlite_sequence s
WHERE s.name IN ('task', 'task_history', 'parked_pieces', 'parked_piece_refs', 'pdp_piecerefs', 'withdrawal_waits')
  AND NOT EXISTS (SELECT 1 FROM main.sqlite_sequence m WHERE m.name = s.name);

-- name: copy-task-history
-- outcome and state are piri-db's: a failed run whose task is gone and that was the task's last
-- run is the one that dropped it.
INSERT INTO task_history (id, task_id, name, posted, work_start, work_end, result, err, completed_by_session_id,
                          outcome, state, recorded_at)
SELECT h.id, h.task_id, h.name,
       CAST(round(unixepoch(h.posted, 'subsec') * 1000) AS INTEGER),
       CAST(round(unixepoch(h.work_start, 'subsec') * 1000) AS INTEGER),
       CAST(round(unixepoch(h.work_end, 'subsec') * 1000) AS INTEGER),
       CASE WHEN h.result THEN 1 ELSE 0 END, h.err, h.completed_by_session_id,
       CASE WHEN h.result THEN 'done' WHEN h.err LIKE 'deferred%' THEN 'deferred' ELSE 'failed' END,
       CASE WHEN h.result THEN 'deleted'
            WHEN h.err LIKE 'deferred%' THEN 'requeued'
            WHEN h.id = h.last_id AND t.id IS NULL THEN 'dropped'
            ELSE 'requeued' END,
       CAST(round(unixepoch(h.work_end, 'subsec') * 1000) AS INTEGER)
FROM (SELECT *, max(id) OVER (PARTITION BY task_id) AS last_id FROM piri_adopt_source.task_history) h
LEFT JOIN piri_adopt_source.task t ON t.id = h.task_id
ORDER BY h.id;
