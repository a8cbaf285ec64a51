-- A Piri node's classic job queue in SQLite, as Piri v0.1.0-v0.2.4 creates it
-- (piri-jobqueue.md 2.1): text ids, RFC 3339 text times, an AFTER UPDATE trigger for updated.
-- Test fixture: adopt is tested against databases of this shape.
CREATE TABLE IF NOT EXISTS jobqueue (
  id       TEXT PRIMARY KEY DEFAULT ('m_' || lower(hex(randomblob(16)))),
  created  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')),
  updated  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')),
  queue    TEXT NOT NULL,
  body     BLOB NOT NULL,
  timeout  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')),
  received INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TRIGGER IF NOT EXISTS jobqueue_updated_timestamp AFTER UPDATE ON jobqueue
BEGIN
  UPDATE jobqueue SET updated = strftime('%Y-%m-%dT%H:%M:%fZ') WHERE id = old.id;
END;

CREATE INDEX IF NOT EXISTS jobqueue_queue_created_idx ON jobqueue (queue, created);

CREATE TABLE IF NOT EXISTS jobqueue_dead (
  id             TEXT PRIMARY KEY,
  created        TEXT NOT NULL,
  updated        TEXT NOT NULL,
  queue          TEXT NOT NULL,
  body           BLOB NOT NULL,
  timeout        TEXT NOT NULL,
  received       INTEGER NOT NULL,
  job_name       TEXT NOT NULL,
  failure_reason TEXT NOT NULL,
  error_message  TEXT NOT NULL,
  moved_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ'))
) STRICT;

CREATE INDEX IF NOT EXISTS jobqueue_dead_queue_moved_at_idx ON jobqueue_dead (queue, moved_at);
