-- The audit trail, in every store: one row per operator change (dead-letter requeue and purge,
-- queue pause and resume), written in the transaction of the change. Times are epoch
-- milliseconds; filter is the request body as JSON text. Rows are read newest first by id.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  actor       TEXT,
  actor_role  TEXT,
  via         TEXT,
  action      TEXT    NOT NULL,
  queue       TEXT,
  filter      TEXT    NOT NULL,
  affected    INTEGER NOT NULL
) STRICT;
