-- A Piri node's Scheduler store (schema scheduler) as GORM AutoMigrate builds it for Piri
-- v0.2.3-v0.2.4 on PostgreSQL (piri-scheduler.md 1: 18 tables, GORM's types and constraint
-- names), then Piri's trigger functions and five triggers (1.10, 1.16, 1.19). Run with
-- search_path set to scheduler. Test fixture: adopt is tested against databases of this shape.
CREATE TABLE "task" ("id" bigserial,"initiated_by" bigint,"update_time" timestamptz NOT NULL DEFAULT current_timestamp,"posted_time" timestamptz NOT NULL,"session_id" text,"added_by" text NOT NULL,"previous_task" bigint,"name" varchar(16) NOT NULL,"retries" bigint NOT NULL,PRIMARY KEY ("id"));
CREATE TABLE "task_history" ("id" bigserial,"task_id" bigint NOT NULL,"name" varchar(16) NOT NULL,"posted" timestamptz NOT NULL,"work_start" timestamptz NOT NULL,"work_end" timestamptz NOT NULL,"result" boolean NOT NULL,"err" text,"completed_by_session_id" varchar(300) NOT NULL,PRIMARY KEY ("id"));
CREATE TABLE "parked_pieces" ("id" bigserial,"created_at" timestamptz DEFAULT current_timestamp,"piece_cid" text NOT NULL,"piece_padded_size" bigint NOT NULL,"piece_raw_size" bigint NOT NULL,"complete" boolean NOT NULL DEFAULT false,"task_id" bigint,"cleanup_task_id" bigint,"long_term" boolean NOT NULL DEFAULT false,PRIMARY KEY ("id"),CONSTRAINT "fk_parked_pieces_task" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE SET NULL,CONSTRAINT "fk_parked_pieces_cleanup_task" FOREIGN KEY ("cleanup_task_id") REFERENCES "task"("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "idx_piece_cid_padded_longterm_cleanup" ON "parked_pieces" ("piece_cid","piece_padded_size","cleanup_task_id","long_term");
CREATE TABLE "parked_piece_refs" ("ref_id" bigserial,"piece_id" bigint NOT NULL,"data_url" text,"data_headers" JSONB NOT NULL DEFAULT '{}',"long_term" boolean NOT NULL DEFAULT false,PRIMARY KEY ("ref_id"),CONSTRAINT "fk_parked_piece_refs_parked_piece" FOREIGN KEY ("piece_id") REFERENCES "parked_pieces"("id") ON DELETE CASCADE);
CREATE TABLE "pdp_piece_uploads" ("id" uuid,"service" text NOT NULL,"check_hash_codec" text NOT NULL,"check_hash" bytea NOT NULL,"check_size" bigint NOT NULL,"piece_cid" text,"notify_url" text NOT NULL,"notify_task_id" bigint,"piece_ref" bigint,"created_at" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY ("id"),CONSTRAINT "fk_pdp_piece_uploads_parked_piece_ref" FOREIGN KEY ("piece_ref") REFERENCES "parked_piece_refs"("ref_id") ON DELETE SET NULL);
CREATE TABLE "pdp_piecerefs" ("id" bigserial,"service" text NOT NULL,"piece_cid" text NOT NULL,"piece_ref" bigint,"created_at" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,"proofset_refcount" bigint NOT NULL DEFAULT 0,PRIMARY KEY ("id"),CONSTRAINT "fk_pdp_piecerefs_parked_piece_ref" FOREIGN KEY ("piece_ref") REFERENCES "parked_piece_refs"("ref_id") ON DELETE CASCADE);
CREATE TABLE "pdp_proof_sets" ("id" bigserial,"prev_challenge_request_epoch" bigint,"challenge_request_task_id" bigint,"challenge_request_msg_hash" text,"proving_period" bigint,"challenge_window" bigint,"prove_at_epoch" bigint,"init_ready" boolean NOT NULL DEFAULT false,"create_message_hash" text NOT NULL,"service" text NOT NULL,PRIMARY KEY ("id"),CONSTRAINT "fk_pdp_proof_sets_challenge_request_task" FOREIGN KEY ("challenge_request_task_id") REFERENCES "task"("id") ON DELETE SET NULL);
CREATE TABLE "pdp_prove_tasks" ("proofset_id" bigint,"task_id" bigint,PRIMARY KEY ("proofset_id","task_id"),CONSTRAINT "fk_pdp_prove_tasks_proof_set" FOREIGN KEY ("proofset_id") REFERENCES "pdp_proof_sets"("id") ON DELETE CASCADE,CONSTRAINT "fk_pdp_prove_tasks_prove_task" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE CASCADE);
CREATE TABLE "message_waits_eth" ("waiter_machine_id" bigint,"signed_tx_hash" text NOT NULL,"confirmed_block_number" bigint,"confirmed_tx_hash" text,"confirmed_tx_data" JSONB,"tx_status" text,"tx_receipt" JSONB,"tx_success" boolean,PRIMARY KEY ("signed_tx_hash"));
CREATE TABLE "pdp_proofset_creates" ("create_message_hash" text,"ok" boolean,"proofset_created" boolean NOT NULL DEFAULT false,"service" text NOT NULL,"created_at" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY ("create_message_hash"),CONSTRAINT "fk_pdp_proofset_creates_message_wait" FOREIGN KEY ("create_message_hash") REFERENCES "message_waits_eth"("signed_tx_hash") ON DELETE CASCADE);
CREATE TABLE "pdp_proofset_roots" ("proofset_id" bigint,"root_id" bigint,"subroot_offset" bigint,"root" text NOT NULL,"add_message_hash" text NOT NULL,"add_message_index" bigint,"subroot" text NOT NULL,"subroot_offset_val" bigint,"subroot_size" bigint,"pdp_piece_ref_id" bigint,PRIMARY KEY ("proofset_id","root_id","subroot_offset"),CONSTRAINT "fk_pdp_proofset_roots_proof_set" FOREIGN KEY ("proofset_id") REFERENCES "pdp_proof_sets"("id") ON DELETE CASCADE,CONSTRAINT "fk_pdp_proofset_roots_add_message_wait" FOREIGN KEY ("add_message_hash") REFERENCES "message_waits_eth"("signed_tx_hash") ON DELETE CASCADE,CONSTRAINT "fk_pdp_proofset_roots_pdp_piece_ref" FOREIGN KEY ("pdp_piece_ref_id") REFERENCES "pdp_piecerefs"("id") ON DELETE SET NULL);
CREATE TABLE "pdp_proofset_root_adds" ("proofset_id" bigint,"add_message_hash" text,"subroot_offset" bigint,"root" text,"add_message_ok" boolean,"add_message_index" bigint,"subroot" text NOT NULL,"subroot_size" bigint,"pdp_piece_ref_id" bigint,PRIMARY KEY ("proofset_id","subroot_offset","root"),CONSTRAINT "fk_pdp_proofset_root_adds_proof_set" FOREIGN KEY ("proofset_id") REFERENCES "pdp_proof_sets"("id") ON DELETE CASCADE,CONSTRAINT "fk_pdp_proofset_root_adds_add_message_wait" FOREIGN KEY ("add_message_hash") REFERENCES "message_waits_eth"("signed_tx_hash") ON DELETE CASCADE,CONSTRAINT "fk_pdp_proofset_root_adds_pdp_piece_ref" FOREIGN KEY ("pdp_piece_ref_id") REFERENCES "pdp_piecerefs"("id") ON DELETE SET NULL);
CREATE TABLE "pdp_piece_mh_to_commp" ("mhash" bytea,"size" bigint NOT NULL,"commp" text NOT NULL,PRIMARY KEY ("mhash"));
CREATE TABLE "pdp_provider_registrations" ("register_message_hash" text,"ok" boolean,"provider_registered" boolean NOT NULL DEFAULT false,"provider_id" bigint,"service" text NOT NULL,"created_at" timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,PRIMARY KEY ("register_message_hash"),CONSTRAINT "fk_pdp_provider_registrations_message_wait" FOREIGN KEY ("register_message_hash") REFERENCES "message_waits_eth"("signed_tx_hash") ON DELETE CASCADE);
CREATE TABLE "message_sends_eth" ("from_address" text NOT NULL,"to_address" text NOT NULL,"send_reason" text NOT NULL,"send_task_id" bigserial,"unsigned_tx" bytea NOT NULL,"unsigned_hash" text NOT NULL,"nonce" bigint,"signed_tx" bytea,"signed_hash" text,"send_time" timestamptz,"send_success" boolean,"send_error" text,PRIMARY KEY ("send_task_id"));
CREATE TABLE "message_send_eth_locks" ("from_address" text NOT NULL,"task_id" bigint NOT NULL,"claimed_at" timestamptz NOT NULL,PRIMARY KEY ("from_address"));
CREATE TABLE "rail_settlement_waits" ("rail_id" text NOT NULL,"signed_tx_hash" text NOT NULL,"created_at" timestamptz,PRIMARY KEY ("rail_id"));
CREATE UNIQUE INDEX IF NOT EXISTS "idx_rail_settlement_waits_signed_tx_hash" ON "rail_settlement_waits" ("signed_tx_hash");
CREATE TABLE "withdrawal_waits" ("id" bigserial,"signed_tx_hash" text NOT NULL,"created_at" timestamptz,PRIMARY KEY ("id"));
CREATE UNIQUE INDEX IF NOT EXISTS "idx_withdrawal_waits_signed_tx_hash" ON "withdrawal_waits" ("signed_tx_hash");

CREATE OR REPLACE FUNCTION increment_proofset_refcount() RETURNS TRIGGER AS $$
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount + 1 WHERE id = NEW.pdp_piece_ref_id;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION decrement_proofset_refcount() RETURNS TRIGGER AS $$
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount - 1 WHERE id = OLD.pdp_piece_ref_id;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION adjust_proofset_refcount_on_update() RETURNS TRIGGER AS $$
BEGIN
  IF OLD.pdp_piece_ref_id IS DISTINCT FROM NEW.pdp_piece_ref_id THEN
    IF OLD.pdp_piece_ref_id IS NOT NULL THEN
      UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount - 1 WHERE id = OLD.pdp_piece_ref_id;
    END IF;
    IF NEW.pdp_piece_ref_id IS NOT NULL THEN
      UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount + 1 WHERE id = NEW.pdp_piece_ref_id;
    END IF;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION update_pdp_proofset_creates() RETURNS TRIGGER AS $$
BEGIN
  IF OLD.tx_status = 'pending' AND (NEW.tx_status = 'confirmed' OR NEW.tx_status = 'failed') THEN
    UPDATE pdp_proofset_creates
       SET ok = CASE WHEN NEW.tx_status = 'failed' OR NEW.tx_success = FALSE THEN FALSE
                     WHEN NEW.tx_status = 'confirmed' AND NEW.tx_success = TRUE THEN TRUE
                     ELSE ok END
     WHERE create_message_hash = NEW.signed_tx_hash AND proofset_created = FALSE;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION update_pdp_proofset_roots() RETURNS TRIGGER AS $$
BEGIN
  IF OLD.tx_status = 'pending' AND (NEW.tx_status = 'confirmed' OR NEW.tx_status = 'failed') THEN
    UPDATE pdp_proofset_root_adds
       SET add_message_ok = CASE WHEN NEW.tx_status = 'failed' OR NEW.tx_success = FALSE THEN FALSE
                                 WHEN NEW.tx_status = 'confirmed' AND NEW.tx_success = TRUE THEN TRUE
                                 ELSE add_message_ok END
     WHERE add_message_hash = NEW.signed_tx_hash;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER pdp_proofset_root_insert AFTER INSERT ON pdp_proofset_roots
  FOR EACH ROW WHEN (NEW.pdp_piece_ref_id IS NOT NULL) EXECUTE FUNCTION increment_proofset_refcount();
CREATE TRIGGER pdp_proofset_root_delete AFTER DELETE ON pdp_proofset_roots
  FOR EACH ROW WHEN (OLD.pdp_piece_ref_id IS NOT NULL) EXECUTE FUNCTION decrement_proofset_refcount();
CREATE TRIGGER pdp_proofset_root_update AFTER UPDATE ON pdp_proofset_roots
  FOR EACH ROW EXECUTE FUNCTION adjust_proofset_refcount_on_update();
CREATE TRIGGER pdp_proofset_create_message_status_change AFTER UPDATE OF tx_status, tx_success ON message_waits_eth
  FOR EACH ROW EXECUTE PROCEDURE update_pdp_proofset_creates();
CREATE TRIGGER pdp_proofset_add_message_status_change AFTER UPDATE OF tx_status, tx_success ON message_waits_eth
  FOR EACH ROW EXECUTE PROCEDURE update_pdp_proofset_roots();
