-- A Piri node's dedup job queue in SQLite, as Piri v0.1.0-v0.2.4 creates it
-- (piri-jobqueue.md 3.1): integer ids without AUTOINCREMENT, epoch-second times, job_done
-- WITHOUT ROWID and not STRICT. Test fixture: adopt is tested against databases of this shape.
CREATE TABLE IF NOT EXISTS queues (
  queue          TEXT PRIMARY KEY,
  dedupe_enabled INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE IF NOT EXISTS job_ns (
  id    INTEGER PRIMARY KEY,
  queue TEXT NOT NULL,
  name  TEXT NOT NULL,
  UNIQUE (queue, name)
) STRICT;

CREATE TABLE IF NOT EXISTS jobs (
  id        INTEGER PRIMARY KEY,
  ns_id     INTEGER NOT NULL,
  key       BLOB NOT NULL,
  body      BLOB NOT NULL,
  created_s INTEGER NOT NULL DEFAULT (strftime('%s')),
  avail_s   INTEGER NOT NULL,
  attempts  INTEGER NOT NULL DEFAULT 0,
  FOREIGN KEY (ns_id) REFERENCES job_ns (id)
) STRICT;

CREATE UNIQUE INDEX IF NOT EXISTS jobs_unique_live ON jobs (ns_id, key);
CREATE INDEX IF NOT EXISTS jobs_claim_idx ON jobs (ns_id, avail_s, id);

CREATE TABLE IF NOT EXISTS job_done (
  ns_id  INTEGER NOT NULL,
  key    BLOB NOT NULL,
  status INTEGER NOT NULL,
  done_s INTEGER NOT NULL DEFAULT (strftime('%s')),
  PRIMARY KEY (ns_id, key)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS job_dead (
  id       INTEGER PRIMARY KEY,
  ns_id    INTEGER NOT NULL,
  key      BLOB NOT NULL,
  body     BLOB NOT NULL,
  attempts INTEGER NOT NULL,
  reason   TEXT NOT NULL,
  error    TEXT NOT NULL,
  moved_s  INTEGER NOT NULL DEFAULT (strftime('%s')),
  FOREIGN KEY (ns_id) REFERENCES job_ns (id)
) STRICT;
