-- The PDP proving state, SQLite's own statements (the shared ones are in ../pdp.sql). Lists of
-- values travel as one JSON array parameter, read with json_each; JSON is stored as text.

-- ---------------------------------------------------------------- messages (4.2)

-- Names tx_status and tx_success so that the status triggers fire (1.16).
-- name: wait-confirm
UPDATE message_waits_eth
SET confirmed_block_number = ?2, confirmed_tx_hash = ?3, confirmed_tx_data = json(?4), tx_status = 'confirmed',
    tx_receipt = json(?5), tx_success = ?6, confirmed_at = ?7
WHERE signed_tx_hash = ?1 AND tx_status = 'pending';

-- name: wait-get
SELECT signed_tx_hash, waiter_machine_id, confirmed_block_number, confirmed_tx_hash, confirmed_tx_data,
       tx_status, tx_receipt, tx_success, created_at, confirmed_at
FROM message_waits_eth WHERE signed_tx_hash = ?1;

-- Messages never mined are failed after a while (D10), which fires the triggers like a confirmation.
-- name: wait-fail-stale
UPDATE message_waits_eth SET tx_status = 'failed', confirmed_at = ?1
WHERE signed_tx_hash IN (SELECT signed_tx_hash FROM message_waits_eth
                         WHERE tx_status = 'pending' AND created_at < ?2 ORDER BY created_at LIMIT ?3)
RETURNING signed_tx_hash;

-- ---------------------------------------------------------------- proof sets (4.3)

-- name: creates-ready
SELECT c.create_message_hash, c.service, w.tx_receipt
FROM pdp_proofset_creates c JOIN message_waits_eth w ON w.signed_tx_hash = c.create_message_hash
WHERE c.ok = TRUE AND c.proofset_created = FALSE AND c.create_message_hash > ?1
ORDER BY c.create_message_hash LIMIT ?2;

-- ---------------------------------------------------------------- roots (4.3)

-- name: roots-find-completed
SELECT DISTINCT root, add_message_hash FROM pdp_proofset_roots
WHERE proofset_id = ?1 AND root IN (SELECT value FROM json_each(?2))
ORDER BY root, add_message_hash;

-- A failed add is not pending any more (D10): it can be added again.
-- name: roots-find-pending
SELECT DISTINCT root, add_message_hash, add_message_ok FROM pdp_proofset_root_adds
WHERE proofset_id = ?1 AND root IN (SELECT value FROM json_each(?2)) AND add_message_ok IS NOT FALSE
ORDER BY root, add_message_hash;

-- name: roots-subroot-info
SELECT ppr.piece_cid, ppr.id AS pdp_piece_ref_id, ppr.piece_ref, pp.piece_padded_size, pp.piece_raw_size
FROM pdp_piecerefs ppr
JOIN parked_piece_refs pprf ON pprf.ref_id = ppr.piece_ref
JOIN parked_pieces pp ON pp.id = pprf.piece_id
WHERE ppr.service = ?1 AND ppr.piece_cid IN (SELECT value FROM json_each(?2))
ORDER BY ppr.id;

-- name: roots-confirmed-groups
SELECT g.proofset_id, g.add_message_hash, w.tx_receipt
FROM (SELECT DISTINCT proofset_id, add_message_hash FROM pdp_proofset_root_adds
      WHERE add_message_ok = TRUE AND (proofset_id > ?1 OR (proofset_id = ?1 AND add_message_hash > ?2))) g
JOIN message_waits_eth w ON w.signed_tx_hash = g.add_message_hash
ORDER BY g.proofset_id, g.add_message_hash LIMIT ?3;

-- Repair confirms the message with a receipt saying what it did (D21), firing the triggers.
-- name: wait-confirm-repaired
UPDATE message_waits_eth SET tx_status = 'confirmed', tx_success = TRUE, tx_receipt = json(?2), confirmed_at = ?3
WHERE signed_tx_hash = ?1 AND tx_status = 'pending';

-- ---------------------------------------------------------------- pieces (4.4)

-- name: upload-insert
INSERT INTO pdp_piece_uploads (id, service, check_hash_codec, check_hash, check_size, piece_cid, notify_url, created_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);

-- name: upload-get
SELECT id, service, check_hash_codec, check_hash, check_size, piece_cid, notify_url, notify_task_id, piece_ref, created_at
FROM pdp_piece_uploads WHERE id = ?1;

-- name: upload-delete
DELETE FROM pdp_piece_uploads WHERE id = ?1;

-- D14: one long-term parked piece per (cid, padded size); a repeat finds the first.
-- name: parked-piece-insert
INSERT INTO parked_pieces (created_at, piece_cid, piece_padded_size, piece_raw_size, complete, long_term)
VALUES (?1, ?2, ?3, ?4, TRUE, TRUE)
ON CONFLICT (piece_cid, piece_padded_size) WHERE long_term = 1 DO NOTHING
RETURNING id;
