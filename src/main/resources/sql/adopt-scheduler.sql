-- piri-db adopt, Scheduler store: Piri's GORM tables (piri-scheduler.md 1) read from
-- piri_adopt_source, piri-db's (db/<dialect>/scheduler/V2__task_engine.sql, V3__pdp_state.sql)
-- written in the store, in foreign-key order. The statements that read the same in both
-- dialects; sqlite/adopt-scheduler.sql and postgres/adopt-scheduler.sql hold the rest. Plain JDBC
-- ? parameters, which both drivers take.

-- name: found-counts
SELECT 'task', count(*) FROM piri_adopt_source.task
UNION ALL SELECT 'task_history', count(*) FROM piri_adopt_source.task_history
UNION ALL SELECT 'message_waits_eth', count(*) FROM piri_adopt_source.message_waits_eth
UNION ALL SELECT 'message_sends_eth', count(*) FROM piri_adopt_source.message_sends_eth
UNION ALL SELECT 'message_send_eth_locks', count(*) FROM piri_adopt_source.message_send_eth_locks
UNION ALL SELECT 'parked_pieces', count(*) FROM piri_adopt_source.parked_pieces
UNION ALL SELECT 'parked_piece_refs', count(*) FROM piri_adopt_source.parked_piece_refs
UNION ALL SELECT 'pdp_piece_uploads', count(*) FROM piri_adopt_source.pdp_piece_uploads
UNION ALL SELECT 'pdp_piecerefs', count(*) FROM piri_adopt_source.pdp_piecerefs
UNION ALL SELECT 'pdp_proof_sets', count(*) FROM piri_adopt_source.pdp_proof_sets
UNION ALL SELECT 'pdp_prove_tasks', count(*) FROM piri_adopt_source.pdp_prove_tasks
UNION ALL SELECT 'pdp_proofset_creates', count(*) FROM piri_adopt_source.pdp_proofset_creates
UNION ALL SELECT 'pdp_proofset_roots', count(*) FROM piri_adopt_source.pdp_proofset_roots
UNION ALL SELECT 'pdp_proofset_root_adds', count(*) FROM piri_adopt_source.pdp_proofset_root_adds
UNION ALL SELECT 'pdp_piece_mh_to_commp', count(*) FROM piri_adopt_source.pdp_piece_mh_to_commp
UNION ALL SELECT 'pdp_provider_registrations', count(*) FROM piri_adopt_source.pdp_provider_registrations;

-- name: found-counts-payments
-- The two tables of admin payments, which Piri has had since v0.2.2.
SELECT 'rail_settlement_waits', count(*) FROM piri_adopt_source.rail_settlement_waits
UNION ALL SELECT 'withdrawal_waits', count(*) FROM piri_adopt_source.withdrawal_waits;

-- name: carried-counts
SELECT 'task', count(*) FROM task
UNION ALL SELECT 'task_history', count(*) FROM task_history
UNION ALL SELECT 'message_waits_eth', count(*) FROM message_waits_eth
UNION ALL SELECT 'message_sends_eth', count(*) FROM message_sends_eth
UNION ALL SELECT 'message_send_eth_locks', count(*) FROM message_send_eth_locks
UNION ALL SELECT 'parked_pieces', count(*) FROM parked_pieces
UNION ALL SELECT 'parked_piece_refs', count(*) FROM parked_piece_refs
UNION ALL SELECT 'pdp_piece_uploads', count(*) FROM pdp_piece_uploads
UNION ALL SELECT 'pdp_piecerefs', count(*) FROM pdp_piecerefs
UNION ALL SELECT 'pdp_proof_sets', count(*) FROM pdp_proof_sets
UNION ALL SELECT 'pdp_prove_tasks', count(*) FROM pdp_prove_tasks
UNION ALL SELECT 'pdp_proofset_creates', count(*) FROM pdp_proofset_creates
UNION ALL SELECT 'pdp_proofset_roots', count(*) FROM pdp_proofset_roots
UNION ALL SELECT 'pdp_proofset_root_adds', count(*) FROM pdp_proofset_root_adds
UNION ALL SELECT 'pdp_piece_mh_to_commp', count(*) FROM pdp_piece_mh_to_commp
UNION ALL SELECT 'pdp_provider_registrations', count(*) FROM pdp_provider_registrations
UNION ALL SELECT 'rail_settlement_waits', count(*) FROM rail_settlement_waits
UNION ALL SELECT 'withdrawal_waits', count(*) FROM withdrawal_waits;

-- name: tasks-held
SELECT count(*) FROM piri_adopt_source.task WHERE session_id IS NOT NULL;

-- name: task-retry-wait
-- Piri runs a task that failed before only once its type's retry wait has passed since
-- update_time (piri-scheduler.md 2.5); (wait ms, task type).
UPDATE task SET runnable_at = update_time + ? WHERE name = ? AND retries > 0;

-- name: copy-proof-sets
INSERT INTO pdp_proof_sets (id, prev_challenge_request_epoch, challenge_request_task_id, challenge_request_msg_hash,
                            proving_period, challenge_window, prove_at_epoch, init_ready, create_message_hash, service)
SELECT id, prev_challenge_request_epoch, challenge_request_task_id, challenge_request_msg_hash, proving_period,
       challenge_window, prove_at_epoch, init_ready, create_message_hash, service
FROM piri_adopt_source.pdp_proof_sets ORDER BY id;

-- name: copy-prove-tasks
INSERT INTO pdp_prove_tasks (proofset_id, task_id)
SELECT proofset_id, task_id FROM piri_adopt_source.pdp_prove_tasks;

-- name: copy-proofset-roots
INSERT INTO pdp_proofset_roots (proofset_id, root_id, subroot_offset, root, add_message_hash, add_message_index,
                                subroot, subroot_offset_val, subroot_size, pdp_piece_ref_id)
SELECT proofset_id, root_id, subroot_offset, root, add_message_hash, add_message_index, subroot, subroot_offset_val,
       subroot_size, pdp_piece_ref_id
FROM piri_adopt_source.pdp_proofset_roots;

-- name: copy-root-adds
INSERT INTO pdp_proofset_root_adds (proofset_id, add_message_hash, subroot_offset, root, add_message_ok,
                                    add_message_index, subroot, subroot_size, pdp_piece_ref_id)
SELECT proofset_id, add_message_hash, subroot_offset, root, add_message_ok, add_message_index, subroot, subroot_size,
       pdp_piece_ref_id
FROM piri_adopt_source.pdp_proofset_root_adds;

-- name: copy-mh-to-commp
INSERT INTO pdp_piece_mh_to_commp (mhash, size, commp)
SELECT mhash, size, commp FROM piri_adopt_source.pdp_piece_mh_to_commp;

-- name: derive-piece-refcount
-- The roots that point to a piece ref, whatever count Piri's triggers had reached.
UPDATE pdp_piecerefs SET proofset_refcount =
  (SELECT count(*) FROM pdp_proofset_roots r WHERE r.pdp_piece_ref_id = pdp_piecerefs.id);
