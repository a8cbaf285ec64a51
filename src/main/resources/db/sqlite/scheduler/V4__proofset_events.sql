-- A proof set's timeline (docs/pdp-state.md): one row per change of a proof set, written in the
-- transaction of the change, with the proving state after it. Not Piri's: Piri keeps no history;
-- its tables keep their shape. Adopted proof sets start with an empty timeline.
CREATE TABLE pdp_proofset_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  proofset_id   INTEGER NOT NULL REFERENCES pdp_proof_sets (id) ON DELETE CASCADE,
  at            INTEGER NOT NULL,
  kind          TEXT    NOT NULL,
  state         TEXT    NOT NULL,
  detail        TEXT    NOT NULL,
  -- what the event concerns, where anything: tasks and messages go, their events stay
  task_id       INTEGER,
  message_hash  TEXT,
  epoch         INTEGER
);
CREATE INDEX pdp_proofset_events_proofset ON pdp_proofset_events (proofset_id, id);

-- Which proof set a confirmed or failed challenge message belongs to (the timeline's message events).
CREATE INDEX pdp_proof_sets_challenge_msg ON pdp_proof_sets (challenge_request_msg_hash) WHERE challenge_request_msg_hash IS NOT NULL;
