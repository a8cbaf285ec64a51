-- A Piri node's Scheduler store (pdp/state/state.db) as GORM AutoMigrate builds it for Piri
-- v0.2.2-v0.2.4 on SQLite (piri-scheduler.md 1: 18 tables, GORM's types and constraint names),
-- then Piri's five triggers (1.10, 1.16). Times are GORM's text, booleans numeric 0/1.
-- Test fixture: adopt is tested against databases of this shape.
CREATE TABLE `task` (`id` integer PRIMARY KEY AUTOINCREMENT,`initiated_by` integer,`update_time` datetime NOT NULL DEFAULT current_timestamp,`posted_time` datetime NOT NULL,`session_id` text,`added_by` text NOT NULL,`previous_task` integer,`name` text NOT NULL,`retries` integer NOT NULL);
CREATE TABLE `task_history` (`id` integer PRIMARY KEY AUTOINCREMENT,`task_id` integer NOT NULL,`name` text NOT NULL,`posted` datetime NOT NULL,`work_start` datetime NOT NULL,`work_end` datetime NOT NULL,`result` numeric NOT NULL,`err` text,`completed_by_session_id` text NOT NULL);
CREATE TABLE `parked_pieces` (`id` integer PRIMARY KEY AUTOINCREMENT,`created_at` datetime DEFAULT current_timestamp,`piece_cid` text NOT NULL,`piece_padded_size` integer NOT NULL,`piece_raw_size` integer NOT NULL,`complete` numeric NOT NULL DEFAULT false,`task_id` integer,`cleanup_task_id` integer,`long_term` numeric NOT NULL DEFAULT false,CONSTRAINT `fk_parked_pieces_task` FOREIGN KEY (`task_id`) REFERENCES `task`(`id`) ON DELETE SET NULL,CONSTRAINT `fk_parked_pieces_cleanup_task` FOREIGN KEY (`cleanup_task_id`) REFERENCES `task`(`id`) ON DELETE SET NULL);
CREATE UNIQUE INDEX `idx_piece_cid_padded_longterm_cleanup` ON `parked_pieces`(`piece_cid`,`piece_padded_size`,`cleanup_task_id`,`long_term`);
CREATE TABLE `parked_piece_refs` (`ref_id` integer PRIMARY KEY AUTOINCREMENT,`piece_id` integer NOT NULL,`data_url` text,`data_headers` JSON NOT NULL DEFAULT '{}',`long_term` numeric NOT NULL DEFAULT false,CONSTRAINT `fk_parked_piece_refs_parked_piece` FOREIGN KEY (`piece_id`) REFERENCES `parked_pieces`(`id`) ON DELETE CASCADE);
CREATE TABLE `pdp_piece_uploads` (`id` uuid,`service` text NOT NULL,`check_hash_codec` text NOT NULL,`check_hash` blob NOT NULL,`check_size` integer NOT NULL,`piece_cid` text,`notify_url` text NOT NULL,`notify_task_id` integer,`piece_ref` integer,`created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY (`id`),CONSTRAINT `fk_pdp_piece_uploads_parked_piece_ref` FOREIGN KEY (`piece_ref`) REFERENCES `parked_piece_refs`(`ref_id`) ON DELETE SET NULL);
CREATE TABLE `pdp_piecerefs` (`id` integer PRIMARY KEY AUTOINCREMENT,`service` text NOT NULL,`piece_cid` text NOT NULL,`piece_ref` integer,`created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,`proofset_refcount` integer NOT NULL DEFAULT 0,CONSTRAINT `fk_pdp_piecerefs_parked_piece_ref` FOREIGN KEY (`piece_ref`) REFERENCES `parked_piece_refs`(`ref_id`) ON DELETE CASCADE);
CREATE TABLE `pdp_proof_sets` (`id` integer PRIMARY KEY AUTOINCREMENT,`prev_challenge_request_epoch` integer,`challenge_request_task_id` integer,`challenge_request_msg_hash` text,`proving_period` integer,`challenge_window` integer,`prove_at_epoch` integer,`init_ready` numeric NOT NULL DEFAULT false,`create_message_hash` text NOT NULL,`service` text NOT NULL,CONSTRAINT `fk_pdp_proof_sets_challenge_request_task` FOREIGN KEY (`challenge_request_task_id`) REFERENCES `task`(`id`) ON DELETE SET NULL);
CREATE TABLE `pdp_prove_tasks` (`proofset_id` integer,`task_id` integer,PRIMARY KEY (`proofset_id`,`task_id`),CONSTRAINT `fk_pdp_prove_tasks_proof_set` FOREIGN KEY (`proofset_id`) REFERENCES `pdp_proof_sets`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_pdp_prove_tasks_prove_task` FOREIGN KEY (`task_id`) REFERENCES `task`(`id`) ON DELETE CASCADE);
CREATE TABLE `message_waits_eth` (`waiter_machine_id` integer,`signed_tx_hash` text NOT NULL,`confirmed_block_number` integer,`confirmed_tx_hash` text,`confirmed_tx_data` JSON,`tx_status` text,`tx_receipt` JSON,`tx_success` numeric,PRIMARY KEY (`signed_tx_hash`));
CREATE TABLE `pdp_proofset_creates` (`create_message_hash` text,`ok` numeric,`proofset_created` numeric NOT NULL DEFAULT false,`service` text NOT NULL,`created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY (`create_message_hash`),CONSTRAINT `fk_pdp_proofset_creates_message_wait` FOREIGN KEY (`create_message_hash`) REFERENCES `message_waits_eth`(`signed_tx_hash`) ON DELETE CASCADE);
CREATE TABLE `pdp_proofset_roots` (`proofset_id` integer,`root_id` integer,`subroot_offset` integer,`root` text NOT NULL,`add_message_hash` text NOT NULL,`add_message_index` integer,`subroot` text NOT NULL,`subroot_offset_val` integer,`subroot_size` integer,`pdp_piece_ref_id` integer,PRIMARY KEY (`proofset_id`,`root_id`,`subroot_offset`),CONSTRAINT `fk_pdp_proofset_roots_proof_set` FOREIGN KEY (`proofset_id`) REFERENCES `pdp_proof_sets`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_pdp_proofset_roots_add_message_wait` FOREIGN KEY (`add_message_hash`) REFERENCES `message_waits_eth`(`signed_tx_hash`) ON DELETE CASCADE,CONSTRAINT `fk_pdp_proofset_roots_pdp_piece_ref` FOREIGN KEY (`pdp_piece_ref_id`) REFERENCES `pdp_piecerefs`(`id`) ON DELETE SET NULL);
CREATE TABLE `pdp_proofset_root_adds` (`proofset_id` integer,`add_message_hash` text,`subroot_offset` integer,`root` text,`add_message_ok` numeric,`add_message_index` integer,`subroot` text NOT NULL,`subroot_size` integer,`pdp_piece_ref_id` integer,PRIMARY KEY (`proofset_id`,`subroot_offset`,`root`),CONSTRAINT `fk_pdp_proofset_root_adds_proof_set` FOREIGN KEY (`proofset_id`) REFERENCES `pdp_proof_sets`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_pdp_proofset_root_adds_add_message_wait` FOREIGN KEY (`add_message_hash`) REFERENCES `message_waits_eth`(`signed_tx_hash`) ON DELETE CASCADE,CONSTRAINT `fk_pdp_proofset_root_adds_pdp_piece_ref` FOREIGN KEY (`pdp_piece_ref_id`) REFERENCES `pdp_piecerefs`(`id`) ON DELETE SET NULL);
CREATE TABLE `pdp_piece_mh_to_commp` (`mhash` blob,`size` integer NOT NULL,`commp` text NOT NULL,PRIMARY KEY (`mhash`));
CREATE TABLE `pdp_provider_registrations` (`register_message_hash` text,`ok` numeric,`provider_registered` numeric NOT NULL DEFAULT false,`provider_id` integer,`service` text NOT NULL,`created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY (`register_message_hash`),CONSTRAINT `fk_pdp_provider_registrations_message_wait` FOREIGN KEY (`register_message_hash`) REFERENCES `message_waits_eth`(`signed_tx_hash`) ON DELETE CASCADE);
CREATE TABLE `message_sends_eth` (`from_address` text NOT NULL,`to_address` text NOT NULL,`send_reason` text NOT NULL,`send_task_id` integer PRIMARY KEY AUTOINCREMENT,`unsigned_tx` blob NOT NULL,`unsigned_hash` text NOT NULL,`nonce` integer,`signed_tx` blob,`signed_hash` text,`send_time` datetime,`send_success` numeric,`send_error` text);
CREATE TABLE `message_send_eth_locks` (`from_address` text NOT NULL,`task_id` integer NOT NULL,`claimed_at` datetime NOT NULL,PRIMARY KEY (`from_address`));
CREATE TABLE `rail_settlement_waits` (`rail_id` text NOT NULL,`signed_tx_hash` text NOT NULL,`created_at` datetime,PRIMARY KEY (`rail_id`));
CREATE UNIQUE INDEX `idx_rail_settlement_waits_signed_tx_hash` ON `rail_settlement_waits`(`signed_tx_hash`);
CREATE TABLE `withdrawal_waits` (`id` integer PRIMARY KEY AUTOINCREMENT,`signed_tx_hash` text NOT NULL,`created_at` datetime);
CREATE UNIQUE INDEX `idx_withdrawal_waits_signed_tx_hash` ON `withdrawal_waits`(`signed_tx_hash`);

CREATE TRIGGER IF NOT EXISTS pdp_proofset_root_insert AFTER INSERT ON pdp_proofset_roots
FOR EACH ROW WHEN (NEW.pdp_piece_ref_id IS NOT NULL)
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount + 1 WHERE id = NEW.pdp_piece_ref_id;
END;

CREATE TRIGGER IF NOT EXISTS pdp_proofset_root_delete AFTER DELETE ON pdp_proofset_roots
FOR EACH ROW WHEN (OLD.pdp_piece_ref_id IS NOT NULL)
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount - 1 WHERE id = OLD.pdp_piece_ref_id;
END;

CREATE TRIGGER IF NOT EXISTS pdp_proofset_root_update AFTER UPDATE ON pdp_proofset_roots
FOR EACH ROW WHEN (OLD.pdp_piece_ref_id IS NOT NEW.pdp_piece_ref_id)
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount - 1 WHERE id = OLD.pdp_piece_ref_id AND OLD.pdp_piece_ref_id IS NOT NULL;
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount + 1 WHERE id = NEW.pdp_piece_ref_id AND NEW.pdp_piece_ref_id IS NOT NULL;
END;

CREATE TRIGGER IF NOT EXISTS pdp_proofset_create_message_status_change AFTER UPDATE OF tx_status, tx_success ON message_waits_eth
FOR EACH ROW WHEN (OLD.tx_status = 'pending' AND (NEW.tx_status = 'confirmed' OR NEW.tx_status = 'failed'))
BEGIN
  UPDATE pdp_proofset_creates
     SET ok = CASE WHEN NEW.tx_status = 'failed' OR NEW.tx_success = 0 THEN 0
                   WHEN NEW.tx_status = 'confirmed' AND NEW.tx_success = 1 THEN 1
                   ELSE ok END
   WHERE create_message_hash = NEW.signed_tx_hash AND proofset_created = 0;
END;

CREATE TRIGGER IF NOT EXISTS pdp_proofset_add_message_status_change AFTER UPDATE OF tx_status, tx_success ON message_waits_eth
FOR EACH ROW WHEN (OLD.tx_status = 'pending' AND (NEW.tx_status = 'confirmed' OR NEW.tx_status = 'failed'))
BEGIN
  UPDATE pdp_proofset_root_adds
     SET add_message_ok = CASE WHEN NEW.tx_status = 'failed' OR NEW.tx_success = 0 THEN 0
                               WHEN NEW.tx_status = 'confirmed' AND NEW.tx_success = 1 THEN 1
                               ELSE add_message_ok END
   WHERE add_message_hash = NEW.signed_tx_hash;
END;
