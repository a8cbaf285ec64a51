-- Bulk operations (requeue, purge or cancel of everything matching a filter), run by the store in
-- batches. Each batch's transaction also moves done and last_id on, so that a store that stops,
-- however abruptly, resumes after the last row it committed and never does a row twice. Rows
-- are walked in id order up to upto_id, the table's highest id when the operation started.
-- lease_owner and lease_until say which node runs it (several may share a PostgreSQL database).
CREATE TABLE bulk_operation (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  queue       TEXT    NOT NULL,
  op          TEXT    NOT NULL,
  filter      TEXT    NOT NULL,
  state       TEXT    NOT NULL,
  matching    INTEGER NOT NULL,
  done        INTEGER NOT NULL DEFAULT 0,
  last_id     INTEGER NOT NULL DEFAULT 0,
  upto_id     INTEGER NOT NULL,
  actor       TEXT,
  actor_role  TEXT,
  via         TEXT,
  started_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  finished_at INTEGER,
  lease_owner TEXT,
  lease_until INTEGER NOT NULL DEFAULT 0
) STRICT;

-- A store that starts looks for the operations still running: none, usually.
CREATE INDEX bulk_operation_running ON bulk_operation (state) WHERE state = 'running';
