-- The scheduler's PDP proving state (src/main/java/io/piri/db/scheduler/pdp; piri-scheduler.md
-- 3-4): the statements that read the same in both dialects, with ?1..?N (rendered $1..$N for
-- PostgreSQL). What differs lives in sqlite/pdp.sql and postgres/pdp.sql. Timestamps are epoch
-- milliseconds.

-- ---------------------------------------------------------------- messages (4.2)

-- name: send-insert
INSERT INTO message_sends_eth (send_task_id, from_address, to_address, send_reason, unsigned_tx, unsigned_hash)
VALUES (?1, ?2, ?3, ?4, ?5, ?6);

-- name: send-get
SELECT send_task_id, from_address, to_address, send_reason, unsigned_tx, unsigned_hash, nonce, signed_tx,
       signed_hash, send_time, send_success, send_error
FROM message_sends_eth WHERE send_task_id = ?1;

-- The lock is free, already ours, or its holder's claim expired (D24): take or refresh it.
-- name: lock-acquire
INSERT INTO message_send_eth_locks (from_address, task_id, claimed_at) VALUES (?1, ?2, ?3)
ON CONFLICT (from_address) DO UPDATE SET claimed_at = excluded.claimed_at, task_id = excluded.task_id
WHERE message_send_eth_locks.task_id = excluded.task_id OR message_send_eth_locks.claimed_at <= ?4
RETURNING task_id;

-- name: lock-get
SELECT from_address, task_id, claimed_at FROM message_send_eth_locks WHERE from_address = ?1;

-- name: lock-release
DELETE FROM message_send_eth_locks WHERE from_address = ?1 AND task_id = ?2;

-- name: send-max-nonce
SELECT MAX(nonce) AS max_nonce FROM message_sends_eth WHERE from_address = ?1 AND send_success = TRUE;

-- Signing happens once: a row that has its nonce is re-broadcast from signed_tx (item 32).
-- name: send-record-signed
UPDATE message_sends_eth SET nonce = ?2, signed_tx = ?3, signed_hash = ?4
WHERE send_task_id = ?1 AND nonce IS NULL;

-- A recorded success is never overwritten (a late rebroadcast's "nonce too low", D7).
-- name: send-record-result
UPDATE message_sends_eth SET send_success = ?2, send_error = ?3, send_time = ?4
WHERE send_task_id = ?1 AND send_success IS NOT TRUE;

-- name: wait-insert
INSERT INTO message_waits_eth (signed_tx_hash, tx_status, confirmed_tx_hash, created_at)
VALUES (?1, 'pending', '', ?2);

-- name: wait-insert-ignore
INSERT INTO message_waits_eth (signed_tx_hash, tx_status, confirmed_tx_hash, created_at)
VALUES (?1, 'pending', '', ?2)
ON CONFLICT (signed_tx_hash) DO NOTHING;

-- name: wait-claim-pending
UPDATE message_waits_eth SET waiter_machine_id = ?1 WHERE waiter_machine_id IS NULL AND tx_status = 'pending';

-- name: wait-list-pending
SELECT signed_tx_hash, created_at FROM message_waits_eth
WHERE waiter_machine_id = ?1 AND tx_status = 'pending' AND signed_tx_hash > ?2
ORDER BY signed_tx_hash LIMIT ?3;

-- ---------------------------------------------------------------- proof sets (4.3)

-- name: create-insert
INSERT INTO pdp_proofset_creates (create_message_hash, service, created_at) VALUES (?1, ?2, ?3);

-- name: create-get
SELECT create_message_hash, ok, proofset_created, service FROM pdp_proofset_creates WHERE create_message_hash = ?1;

-- Idempotent (D11): a retry after a crash finds the row and goes on to mark the create done.
-- name: ps-insert
INSERT INTO pdp_proof_sets (id, create_message_hash, service, proving_period, challenge_window)
VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT DO NOTHING;

-- name: create-mark-created
UPDATE pdp_proofset_creates SET proofset_created = TRUE WHERE create_message_hash = ?1;

-- name: ps-range
-- Proof sets with ?1 < id <= ?2, of service ?3 unless it is NULL, by id: one proof set is the
-- range (id - 1, id], a page the range after the last id seen.
SELECT p.id, p.prev_challenge_request_epoch, p.challenge_request_task_id, p.challenge_request_msg_hash,
       p.proving_period, p.challenge_window, p.prove_at_epoch, p.init_ready, p.create_message_hash, p.service,
       t.name AS challenge_request_task_name,
       (SELECT COUNT(*) FROM pdp_prove_tasks pt WHERE pt.proofset_id = p.id) AS prove_tasks,
       (SELECT MIN(pt.task_id) FROM pdp_prove_tasks pt WHERE pt.proofset_id = p.id) AS prove_task_id
FROM pdp_proof_sets p LEFT JOIN task t ON t.id = p.challenge_request_task_id
WHERE p.id > ?1 AND p.id <= ?2 AND (CAST(?3 AS TEXT) IS NULL OR p.service = ?3)
ORDER BY p.id LIMIT ?4;

-- name: ps-status-by-create
SELECT c.create_message_hash, c.ok, c.proofset_created, c.service, w.tx_status, w.tx_success, p.id AS proofset_id
FROM pdp_proofset_creates c
LEFT JOIN message_waits_eth w ON w.signed_tx_hash = c.create_message_hash
LEFT JOIN pdp_proof_sets p ON p.create_message_hash = c.create_message_hash
WHERE c.create_message_hash = ?1;

-- S1 -> S2 candidates (3.6 step 2).
-- name: init-candidates
SELECT id FROM pdp_proof_sets
WHERE challenge_request_task_id IS NULL AND init_ready = TRUE AND prove_at_epoch IS NULL AND (CAST(?1 AS BIGINT) IS NULL OR id = ?1)
ORDER BY id LIMIT ?2;

-- The guard that keeps one scheduled task per proof set (item 40), with the state's full predicate.
-- name: ps-set-init-task
UPDATE pdp_proof_sets SET challenge_request_task_id = ?2
WHERE id = ?1 AND challenge_request_task_id IS NULL AND init_ready = TRUE AND prove_at_epoch IS NULL;

-- S3/S4/S4' -> S5 candidates (3.6 step 6): a NULL prove_at_epoch or challenge_window never matches.
-- P + W <= head, as P <= head - W: a subtraction of two non-negative numbers cannot overflow.
-- name: next-candidates
SELECT id FROM pdp_proof_sets
WHERE challenge_request_task_id IS NULL AND prove_at_epoch <= ?1 - challenge_window AND (CAST(?2 AS BIGINT) IS NULL OR id = ?2)
ORDER BY id LIMIT ?3;

-- name: ps-set-next-task
UPDATE pdp_proof_sets SET challenge_request_task_id = ?2
WHERE id = ?1 AND challenge_request_task_id IS NULL AND prove_at_epoch <= ?3 - challenge_window;

-- S3 -> S4 candidates (3.6 step 4): the challenge message confirmed with success and P < head.
-- name: prove-candidates
SELECT p.id, p.challenge_request_msg_hash FROM pdp_proof_sets p
JOIN message_waits_eth mw ON mw.signed_tx_hash = p.challenge_request_msg_hash
WHERE p.challenge_request_msg_hash IS NOT NULL AND mw.tx_success = TRUE AND p.prove_at_epoch < ?1
  AND (CAST(?2 AS BIGINT) IS NULL OR p.id = ?2)
ORDER BY p.id LIMIT ?3;

-- Clearing H is what makes the prove task one per challenge (item 44).
-- name: ps-clear-challenge
UPDATE pdp_proof_sets SET challenge_request_msg_hash = NULL WHERE id = ?1 AND challenge_request_msg_hash = ?2;

-- name: prove-task-insert
INSERT INTO pdp_prove_tasks (proofset_id, task_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING;

-- name: task-delete-unused
DELETE FROM task WHERE id = ?1;

-- name: ps-for-task
SELECT id FROM pdp_proof_sets WHERE challenge_request_task_id = ?1;

-- name: ps-for-task-prove-at
SELECT id FROM pdp_proof_sets WHERE challenge_request_task_id = ?1 AND prove_at_epoch IS NOT NULL;

-- Only the task that holds the proof set may record its challenge request (S2/S5 -> S3).
-- name: ps-record-challenge
UPDATE pdp_proof_sets SET challenge_request_msg_hash = ?3, prev_challenge_request_epoch = ?4, prove_at_epoch = ?5
WHERE id = ?1 AND challenge_request_task_id = ?2;

-- name: prove-task-proof-set
SELECT proofset_id FROM pdp_prove_tasks WHERE task_id = ?1;

-- ---------------------------------------------------------------- timeline

-- name: event-insert
INSERT INTO pdp_proofset_events (proofset_id, at, kind, state, detail, task_id, message_hash, epoch)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);

-- name: events-page
SELECT id, at, kind, state, detail, task_id, message_hash, epoch FROM pdp_proofset_events
WHERE proofset_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3;

-- The proof sets a message concerns: as their challenge, or as a pending root add.
-- name: ps-for-message
SELECT id AS proofset_id, 'challenge' AS role FROM pdp_proof_sets WHERE challenge_request_msg_hash = ?1
UNION
SELECT proofset_id, 'roots add' AS role FROM pdp_proofset_root_adds WHERE add_message_hash = ?1
ORDER BY proofset_id;

-- ---------------------------------------------------------------- roots (4.3)

-- S0 -> S1 (3.6 step 1).
-- name: ps-mark-init-ready
UPDATE pdp_proof_sets SET init_ready = TRUE
WHERE id = ?1 AND prev_challenge_request_epoch IS NULL AND challenge_request_msg_hash IS NULL AND prove_at_epoch IS NULL;

-- name: root-adds-delete-failed
DELETE FROM pdp_proofset_root_adds WHERE proofset_id = ?1 AND subroot_offset = ?2 AND root = ?3 AND add_message_ok = FALSE;

-- name: root-add-insert
INSERT INTO pdp_proofset_root_adds (proofset_id, add_message_hash, subroot_offset, root, add_message_index, subroot,
                                    subroot_size, pdp_piece_ref_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);

-- name: root-adds-group
SELECT proofset_id, add_message_hash, subroot_offset, root, add_message_ok, add_message_index, subroot, subroot_size,
       pdp_piece_ref_id
FROM pdp_proofset_root_adds WHERE proofset_id = ?1 AND add_message_hash = ?2
ORDER BY add_message_index, subroot_offset;

-- name: root-insert
INSERT INTO pdp_proofset_roots (proofset_id, root_id, subroot_offset, root, add_message_hash, add_message_index, subroot,
                                subroot_size, pdp_piece_ref_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT DO NOTHING;

-- name: root-adds-delete-group
DELETE FROM pdp_proofset_root_adds WHERE proofset_id = ?1 AND add_message_hash = ?2;

-- name: roots-for-challenge
SELECT root, subroot, subroot_offset, subroot_size, pdp_piece_ref_id FROM pdp_proofset_roots
WHERE proofset_id = ?1 AND root_id = ?2 ORDER BY subroot_offset;

-- name: roots-list
SELECT proofset_id, root_id, subroot_offset, root, add_message_hash, add_message_index, subroot, subroot_size,
       pdp_piece_ref_id
FROM pdp_proofset_roots WHERE proofset_id = ?1 AND (root_id > ?2 OR (root_id = ?2 AND subroot_offset > ?3))
ORDER BY root_id, subroot_offset LIMIT ?4;

-- name: roots-ref-ids
SELECT DISTINCT pdp_piece_ref_id FROM pdp_proofset_roots
WHERE proofset_id = ?1 AND root_id = ?2 AND pdp_piece_ref_id IS NOT NULL;

-- name: roots-delete
DELETE FROM pdp_proofset_roots WHERE proofset_id = ?1 AND root_id = ?2;

-- D6: the parked piece ref behind a pdp piece ref (not the pdp ref's own id), once no root uses it.
-- name: piece-ref-release
DELETE FROM parked_piece_refs
WHERE ref_id = (SELECT piece_ref FROM pdp_piecerefs WHERE id = ?1 AND proofset_refcount <= 0)
RETURNING ref_id;

-- name: root-adds-for-root
SELECT proofset_id, add_message_hash, subroot_offset, root, add_message_ok, add_message_index, subroot, subroot_size,
       pdp_piece_ref_id
FROM pdp_proofset_root_adds WHERE proofset_id = ?1 AND root = ?2 ORDER BY subroot_offset;

-- name: root-adds-delete-root
DELETE FROM pdp_proofset_root_adds WHERE proofset_id = ?1 AND root = ?2;

-- name: root-adds-count-message
SELECT COUNT(*) AS n FROM pdp_proofset_root_adds WHERE add_message_hash = ?1;

-- ---------------------------------------------------------------- pieces (4.4)

-- name: commp-insert
INSERT INTO pdp_piece_mh_to_commp (mhash, size, commp) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING;

-- D15: the multihash is compared as bytes.
-- name: commp-get
SELECT mhash, size, commp FROM pdp_piece_mh_to_commp WHERE mhash = ?1;

-- name: commp-by-commp
SELECT mhash, size, commp FROM pdp_piece_mh_to_commp WHERE commp = ?1 ORDER BY mhash LIMIT 1;

-- The piece, and the parked ref and pdp piece ref this service holds on it, if any: each service
-- has its own pair, as in Piri (a pdp piece ref owns its parked ref).
-- name: parked-piece-find
SELECT pp.id AS piece_id, sr.ref_id, sr.pdp_piece_ref_id
FROM parked_pieces pp
LEFT JOIN (SELECT pr.piece_id, pr.ref_id, ppr.id AS pdp_piece_ref_id
           FROM parked_piece_refs pr JOIN pdp_piecerefs ppr ON ppr.piece_ref = pr.ref_id
           WHERE ppr.service = ?3) sr ON sr.piece_id = pp.id
WHERE pp.piece_cid = ?1 AND pp.piece_padded_size = ?2 AND pp.long_term = TRUE
ORDER BY sr.ref_id LIMIT 1;

-- name: parked-ref-insert
INSERT INTO parked_piece_refs (piece_id, data_url, data_headers, long_term) VALUES (?1, ?2, '{}', TRUE) RETURNING ref_id;

-- name: pieceref-insert
INSERT INTO pdp_piecerefs (service, piece_cid, piece_ref, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id;

-- name: pieceref-get
SELECT r.id, r.service, r.piece_cid, r.piece_ref, r.created_at, r.proofset_refcount, pr.piece_id
FROM pdp_piecerefs r LEFT JOIN parked_piece_refs pr ON pr.ref_id = r.piece_ref
WHERE r.id = ?1;

-- ---------------------------------------------------------------- provider (4.4)

-- In progress = not registered and not failed (D5: a failed registration may be retried).
-- name: reg-pending
SELECT register_message_hash, ok, provider_registered, provider_id, service, created_at
FROM pdp_provider_registrations
WHERE service = ?1 AND provider_registered = FALSE AND ok IS NOT FALSE
ORDER BY created_at LIMIT 1;

-- name: reg-insert
INSERT INTO pdp_provider_registrations (register_message_hash, service, created_at) VALUES (?1, ?2, ?3);

-- name: reg-get
SELECT register_message_hash, ok, provider_registered, provider_id, service, created_at
FROM pdp_provider_registrations WHERE register_message_hash = ?1;

-- name: reg-mark
UPDATE pdp_provider_registrations SET provider_registered = TRUE, provider_id = ?2
WHERE register_message_hash = ?1 AND ok = TRUE AND provider_registered = FALSE;

-- ---------------------------------------------------------------- payments (4.4)

-- name: rail-get
SELECT r.rail_id, r.signed_tx_hash, r.created_at, w.tx_status, w.tx_success
FROM rail_settlement_waits r LEFT JOIN message_waits_eth w ON w.signed_tx_hash = r.signed_tx_hash
WHERE r.rail_id = ?1;

-- name: rail-delete
DELETE FROM rail_settlement_waits WHERE rail_id = ?1;

-- name: rail-insert
INSERT INTO rail_settlement_waits (rail_id, signed_tx_hash, created_at) VALUES (?1, ?2, ?3);

-- name: withdrawal-latest
SELECT r.id, r.signed_tx_hash, r.created_at, w.tx_status, w.tx_success
FROM withdrawal_waits r LEFT JOIN message_waits_eth w ON w.signed_tx_hash = r.signed_tx_hash
ORDER BY r.created_at DESC, r.id DESC LIMIT 1;

-- name: withdrawal-insert
INSERT INTO withdrawal_waits (signed_tx_hash, created_at) VALUES (?1, ?2) RETURNING id;

-- name: withdrawal-delete
DELETE FROM withdrawal_waits WHERE id = ?1;

-- ---------------------------------------------------------------- retention (D13)

-- Confirmed or failed waits that nothing Piri reads refers to any more. Both prunes take their
-- batch from a materialized CTE, computed once (a subquery in the WHERE may be run again per row).
-- name: prune-waits
WITH batch AS MATERIALIZED (
  SELECT w.signed_tx_hash FROM message_waits_eth w
  WHERE w.tx_status <> 'pending' AND w.confirmed_at < ?1
    AND NOT EXISTS (SELECT 1 FROM pdp_proofset_roots r WHERE r.add_message_hash = w.signed_tx_hash)
    AND NOT EXISTS (SELECT 1 FROM pdp_proofset_root_adds a WHERE a.add_message_hash = w.signed_tx_hash)
    AND NOT EXISTS (SELECT 1 FROM pdp_proofset_creates c WHERE c.create_message_hash = w.signed_tx_hash)
    AND NOT EXISTS (SELECT 1 FROM pdp_provider_registrations g WHERE g.register_message_hash = w.signed_tx_hash)
    AND NOT EXISTS (SELECT 1 FROM pdp_proof_sets p WHERE p.challenge_request_msg_hash = w.signed_tx_hash)
    AND NOT EXISTS (SELECT 1 FROM rail_settlement_waits s WHERE s.signed_tx_hash = w.signed_tx_hash)
    AND NOT EXISTS (SELECT 1 FROM withdrawal_waits d WHERE d.signed_tx_hash = w.signed_tx_hash)
  ORDER BY w.confirmed_at LIMIT ?2)
DELETE FROM message_waits_eth WHERE signed_tx_hash IN (SELECT signed_tx_hash FROM batch);

-- Finished sends whose task is gone; each sender's highest successful nonce stays (msg-next-nonce).
-- name: prune-sends
WITH batch AS MATERIALIZED (
  SELECT s.send_task_id FROM message_sends_eth s
  WHERE s.send_success IS NOT NULL AND s.send_time < ?1
    AND NOT EXISTS (SELECT 1 FROM task t WHERE t.id = s.send_task_id)
    AND (s.nonce IS NULL OR s.nonce < (SELECT MAX(m.nonce) FROM message_sends_eth m
                                       WHERE m.from_address = s.from_address AND m.send_success = TRUE))
  ORDER BY s.send_time LIMIT ?2)
DELETE FROM message_sends_eth WHERE send_task_id IN (SELECT send_task_id FROM batch);

-- Per proof set, by index: its roots (distinct root ids, over the primary key's range), and its
-- pending messages (distinct pending root adds, plus the challenge message while pending).
-- name: ps-counts
SELECT p.id,
       (SELECT COUNT(DISTINCT r.root_id) FROM pdp_proofset_roots r WHERE r.proofset_id = p.id) AS roots,
       (SELECT COUNT(DISTINCT a.add_message_hash) FROM pdp_proofset_root_adds a
        WHERE a.add_message_ok IS NULL AND a.proofset_id = p.id)
       + (SELECT COUNT(*) FROM message_waits_eth w
          WHERE w.signed_tx_hash = p.challenge_request_msg_hash AND w.tx_status = 'pending') AS pending_messages
FROM pdp_proof_sets p WHERE p.id IN (ids(?1))
ORDER BY p.id;
