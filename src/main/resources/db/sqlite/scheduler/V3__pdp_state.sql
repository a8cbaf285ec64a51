-- PDP proving state (issue 5): Piri's 16 tables with Piri's table and column names
-- (piri-scheduler.md 1.3-1.18), its five triggers (1.10, 1.16) plus a sixth for provider
-- registrations (D5), and the indexes and constraints Piri lacks (D12, D14).
-- Choices (docs/pdp-state.md):
--  * timestamps (created_at, claimed_at, send_time) are epoch milliseconds, as everywhere in
--    piri-db (contract 3, D17); epochs and block numbers stay chain integers;
--  * booleans are 0/1 INTEGERs here and BOOLEAN on PostgreSQL; JSON columns are TEXT here;
--  * every primary key column is NOT NULL (D14: SQLite would accept NULL otherwise);
--  * message_waits_eth gains created_at and confirmed_at (not Piri's) for stale-message
--    handling (D10) and retention (D13).

CREATE TABLE message_waits_eth (
  signed_tx_hash          TEXT    PRIMARY KEY NOT NULL,
  waiter_machine_id       INTEGER,
  confirmed_block_number  INTEGER,
  confirmed_tx_hash       TEXT,
  confirmed_tx_data       TEXT,
  tx_status               TEXT    CHECK (tx_status IN ('pending', 'confirmed', 'failed')),
  tx_receipt              TEXT,
  tx_success              INTEGER,
  created_at              INTEGER NOT NULL,
  confirmed_at            INTEGER
);
-- D12: the watcher's scans of pending messages
CREATE INDEX message_waits_eth_pending ON message_waits_eth (waiter_machine_id, signed_tx_hash) WHERE tx_status = 'pending';
CREATE INDEX message_waits_eth_confirmed_at ON message_waits_eth (confirmed_at) WHERE confirmed_at IS NOT NULL;

CREATE TABLE message_sends_eth (
  send_task_id   INTEGER PRIMARY KEY NOT NULL,
  from_address   TEXT    NOT NULL,
  to_address     TEXT    NOT NULL,
  send_reason    TEXT    NOT NULL,
  unsigned_tx    BLOB    NOT NULL,
  unsigned_hash  TEXT    NOT NULL,
  nonce          INTEGER,
  signed_tx      BLOB,
  signed_hash    TEXT,
  send_time      INTEGER,
  send_success   INTEGER,
  send_error     TEXT
);
-- D14: one nonce per sender among sends that succeeded or are in flight
CREATE UNIQUE INDEX message_sends_eth_from_nonce ON message_sends_eth (from_address, nonce) WHERE send_success IS NOT 0;
CREATE INDEX message_sends_eth_success_nonce ON message_sends_eth (from_address, nonce) WHERE send_success = 1;
CREATE INDEX message_sends_eth_send_time ON message_sends_eth (send_time) WHERE send_time IS NOT NULL;

CREATE TABLE message_send_eth_locks (
  from_address  TEXT    PRIMARY KEY NOT NULL,
  task_id       INTEGER NOT NULL,
  claimed_at    INTEGER NOT NULL
);

CREATE TABLE parked_pieces (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at         INTEGER,
  piece_cid          TEXT    NOT NULL,
  piece_padded_size  INTEGER NOT NULL,
  piece_raw_size     INTEGER NOT NULL,
  complete           INTEGER NOT NULL DEFAULT 0,
  task_id            INTEGER REFERENCES task (id) ON DELETE SET NULL,
  cleanup_task_id    INTEGER REFERENCES task (id) ON DELETE SET NULL,
  long_term          INTEGER NOT NULL DEFAULT 0
);
-- Piri's index (never effective: cleanup_task_id is always NULL) ...
CREATE UNIQUE INDEX idx_piece_cid_padded_longterm_cleanup ON parked_pieces (piece_cid, piece_padded_size, cleanup_task_id, long_term);
-- ... and the one that works (D14): piece-park is an upsert on it
CREATE UNIQUE INDEX parked_pieces_long_term ON parked_pieces (piece_cid, piece_padded_size) WHERE long_term = 1;
CREATE INDEX parked_pieces_task_id ON parked_pieces (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX parked_pieces_cleanup_task_id ON parked_pieces (cleanup_task_id) WHERE cleanup_task_id IS NOT NULL;

CREATE TABLE parked_piece_refs (
  ref_id        INTEGER PRIMARY KEY AUTOINCREMENT,
  piece_id      INTEGER NOT NULL REFERENCES parked_pieces (id) ON DELETE CASCADE,
  data_url      TEXT,
  data_headers  TEXT    NOT NULL DEFAULT '{}',
  long_term     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX parked_piece_refs_piece_id ON parked_piece_refs (piece_id);

CREATE TABLE pdp_piece_uploads (
  id                TEXT    PRIMARY KEY NOT NULL,
  service           TEXT    NOT NULL,
  check_hash_codec  TEXT    NOT NULL,
  check_hash        BLOB    NOT NULL,
  check_size        INTEGER NOT NULL,
  piece_cid         TEXT,
  notify_url        TEXT    NOT NULL,
  notify_task_id    INTEGER,
  piece_ref         INTEGER REFERENCES parked_piece_refs (ref_id) ON DELETE SET NULL,
  created_at        INTEGER NOT NULL
);
CREATE INDEX pdp_piece_uploads_piece_ref ON pdp_piece_uploads (piece_ref) WHERE piece_ref IS NOT NULL;

CREATE TABLE pdp_piecerefs (
  id                 INTEGER PRIMARY KEY AUTOINCREMENT,
  service            TEXT    NOT NULL,
  piece_cid          TEXT    NOT NULL,
  piece_ref          INTEGER UNIQUE REFERENCES parked_piece_refs (ref_id) ON DELETE CASCADE,
  created_at         INTEGER NOT NULL,
  proofset_refcount  INTEGER NOT NULL DEFAULT 0
);
-- D12: the AddRoots lookup by CID
CREATE INDEX pdp_piecerefs_piece_cid ON pdp_piecerefs (service, piece_cid);

CREATE TABLE pdp_proof_sets (
  id                            INTEGER PRIMARY KEY NOT NULL,
  prev_challenge_request_epoch  INTEGER,
  challenge_request_task_id     INTEGER REFERENCES task (id) ON DELETE SET NULL,
  challenge_request_msg_hash    TEXT,
  proving_period                INTEGER,
  challenge_window              INTEGER,
  prove_at_epoch                INTEGER,
  init_ready                    INTEGER NOT NULL DEFAULT 0,
  create_message_hash           TEXT    NOT NULL,
  service                       TEXT    NOT NULL
);
-- D12: status lookup by create message; one proof set per create message
CREATE UNIQUE INDEX pdp_proof_sets_create_message_hash ON pdp_proof_sets (create_message_hash);
CREATE INDEX pdp_proof_sets_task ON pdp_proof_sets (challenge_request_task_id) WHERE challenge_request_task_id IS NOT NULL;
CREATE INDEX pdp_proof_sets_service ON pdp_proof_sets (service, id);

CREATE TABLE pdp_prove_tasks (
  proofset_id  INTEGER NOT NULL REFERENCES pdp_proof_sets (id) ON DELETE CASCADE,
  task_id      INTEGER NOT NULL REFERENCES task (id) ON DELETE CASCADE,
  PRIMARY KEY (proofset_id, task_id)
);
CREATE INDEX pdp_prove_tasks_task_id ON pdp_prove_tasks (task_id);

CREATE TABLE pdp_proofset_creates (
  create_message_hash  TEXT    PRIMARY KEY NOT NULL REFERENCES message_waits_eth (signed_tx_hash) ON DELETE CASCADE,
  ok                   INTEGER,
  proofset_created     INTEGER NOT NULL DEFAULT 0,
  service              TEXT    NOT NULL,
  created_at           INTEGER NOT NULL
);
CREATE INDEX pdp_proofset_creates_ready ON pdp_proofset_creates (create_message_hash) WHERE ok = 1 AND proofset_created = 0;

CREATE TABLE pdp_proofset_roots (
  proofset_id         INTEGER NOT NULL REFERENCES pdp_proof_sets (id) ON DELETE CASCADE,
  root_id             INTEGER NOT NULL,
  subroot_offset      INTEGER NOT NULL,
  root                TEXT    NOT NULL,
  add_message_hash    TEXT    NOT NULL REFERENCES message_waits_eth (signed_tx_hash) ON DELETE CASCADE,
  add_message_index   INTEGER,
  subroot             TEXT    NOT NULL,
  subroot_offset_val  INTEGER,
  subroot_size        INTEGER,
  pdp_piece_ref_id    INTEGER REFERENCES pdp_piecerefs (id) ON DELETE SET NULL,
  PRIMARY KEY (proofset_id, root_id, subroot_offset)
);
-- D12: the AddRoots duplicate check; the foreign keys' lookups
CREATE INDEX pdp_proofset_roots_root ON pdp_proofset_roots (proofset_id, root);
CREATE INDEX pdp_proofset_roots_add_message_hash ON pdp_proofset_roots (add_message_hash);
CREATE INDEX pdp_proofset_roots_piece_ref ON pdp_proofset_roots (pdp_piece_ref_id) WHERE pdp_piece_ref_id IS NOT NULL;

CREATE TABLE pdp_proofset_root_adds (
  proofset_id        INTEGER NOT NULL REFERENCES pdp_proof_sets (id) ON DELETE CASCADE,
  add_message_hash   TEXT    REFERENCES message_waits_eth (signed_tx_hash) ON DELETE CASCADE,
  subroot_offset     INTEGER NOT NULL,
  root               TEXT    NOT NULL,
  add_message_ok     INTEGER,
  add_message_index  INTEGER,
  subroot            TEXT    NOT NULL,
  subroot_size       INTEGER,
  pdp_piece_ref_id   INTEGER REFERENCES pdp_piecerefs (id) ON DELETE SET NULL,
  PRIMARY KEY (proofset_id, subroot_offset, root)
);
-- D12: the root-add watcher's scan; pending lookups by root; the foreign keys' lookups
CREATE INDEX pdp_proofset_root_adds_ok ON pdp_proofset_root_adds (add_message_ok, proofset_id, add_message_hash);
CREATE INDEX pdp_proofset_root_adds_root ON pdp_proofset_root_adds (proofset_id, root);
CREATE INDEX pdp_proofset_root_adds_add_message_hash ON pdp_proofset_root_adds (add_message_hash);
CREATE INDEX pdp_proofset_root_adds_piece_ref ON pdp_proofset_root_adds (pdp_piece_ref_id) WHERE pdp_piece_ref_id IS NOT NULL;

CREATE TABLE pdp_piece_mh_to_commp (
  mhash  BLOB    PRIMARY KEY NOT NULL,
  size   INTEGER NOT NULL,
  commp  TEXT    NOT NULL
);
-- D12: ResolveToBlob
CREATE INDEX pdp_piece_mh_to_commp_commp ON pdp_piece_mh_to_commp (commp);

CREATE TABLE pdp_provider_registrations (
  register_message_hash  TEXT    PRIMARY KEY NOT NULL REFERENCES message_waits_eth (signed_tx_hash) ON DELETE CASCADE,
  ok                     INTEGER,
  provider_registered    INTEGER NOT NULL DEFAULT 0,
  provider_id            INTEGER,
  service                TEXT    NOT NULL,
  created_at             INTEGER NOT NULL
);
CREATE INDEX pdp_provider_registrations_service ON pdp_provider_registrations (service, provider_registered);

CREATE TABLE rail_settlement_waits (
  rail_id         TEXT    PRIMARY KEY NOT NULL,
  signed_tx_hash  TEXT    NOT NULL,
  created_at      INTEGER
);
CREATE UNIQUE INDEX idx_rail_settlement_waits_signed_tx_hash ON rail_settlement_waits (signed_tx_hash);

CREATE TABLE withdrawal_waits (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  signed_tx_hash  TEXT    NOT NULL,
  created_at      INTEGER
);
CREATE UNIQUE INDEX idx_withdrawal_waits_signed_tx_hash ON withdrawal_waits (signed_tx_hash);
CREATE INDEX withdrawal_waits_created_at ON withdrawal_waits (created_at, id);

-- Reference counts of pdp_piecerefs (1.10). A foreign-key SET NULL fires the update trigger too.
CREATE TRIGGER pdp_proofset_root_insert AFTER INSERT ON pdp_proofset_roots
FOR EACH ROW WHEN NEW.pdp_piece_ref_id IS NOT NULL
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount + 1 WHERE id = NEW.pdp_piece_ref_id;
END;

CREATE TRIGGER pdp_proofset_root_delete AFTER DELETE ON pdp_proofset_roots
FOR EACH ROW WHEN OLD.pdp_piece_ref_id IS NOT NULL
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount - 1 WHERE id = OLD.pdp_piece_ref_id;
END;

CREATE TRIGGER pdp_proofset_root_update AFTER UPDATE ON pdp_proofset_roots
FOR EACH ROW WHEN OLD.pdp_piece_ref_id IS NOT NEW.pdp_piece_ref_id
BEGIN
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount - 1 WHERE id = OLD.pdp_piece_ref_id;
  UPDATE pdp_piecerefs SET proofset_refcount = proofset_refcount + 1 WHERE id = NEW.pdp_piece_ref_id;
END;

-- Message confirmation effects (1.16): only a pending -> confirmed/failed change counts (item 9).
CREATE TRIGGER pdp_proofset_create_message_status_change AFTER UPDATE OF tx_status, tx_success ON message_waits_eth
FOR EACH ROW WHEN OLD.tx_status = 'pending' AND NEW.tx_status IN ('confirmed', 'failed')
BEGIN
  UPDATE pdp_proofset_creates
     SET ok = CASE WHEN NEW.tx_status = 'failed' OR NEW.tx_success = 0 THEN 0
                   WHEN NEW.tx_status = 'confirmed' AND NEW.tx_success = 1 THEN 1
                   ELSE ok END
   WHERE create_message_hash = NEW.signed_tx_hash AND proofset_created = 0;
END;

CREATE TRIGGER pdp_proofset_add_message_status_change AFTER UPDATE OF tx_status, tx_success ON message_waits_eth
FOR EACH ROW WHEN OLD.tx_status = 'pending' AND NEW.tx_status IN ('confirmed', 'failed')
BEGIN
  UPDATE pdp_proofset_root_adds
     SET add_message_ok = CASE WHEN NEW.tx_status = 'failed' OR NEW.tx_success = 0 THEN 0
                               WHEN NEW.tx_status = 'confirmed' AND NEW.tx_success = 1 THEN 1
                               ELSE add_message_ok END
   WHERE add_message_hash = NEW.signed_tx_hash;
END;

-- Not Piri's (D5): registrations learn their outcome the same way, so the watcher can see them.
CREATE TRIGGER pdp_provider_register_message_status_change AFTER UPDATE OF tx_status, tx_success ON message_waits_eth
FOR EACH ROW WHEN OLD.tx_status = 'pending' AND NEW.tx_status IN ('confirmed', 'failed')
BEGIN
  UPDATE pdp_provider_registrations
     SET ok = CASE WHEN NEW.tx_status = 'failed' OR NEW.tx_success = 0 THEN 0
                   WHEN NEW.tx_status = 'confirmed' AND NEW.tx_success = 1 THEN 1
                   ELSE ok END
   WHERE register_message_hash = NEW.signed_tx_hash AND provider_registered = 0;
END;
