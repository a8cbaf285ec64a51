-- A Piri node's classic job queue in PostgreSQL (schemas replicator, aggregator,
-- egress_tracker), as Piri v0.2.3-v0.2.4 creates it (piri-jobqueue.md 2.1): TIMESTAMPTZ times,
-- a BEFORE UPDATE trigger for updated. Run with search_path set to the store's schema.
-- Test fixture: adopt is tested against databases of this shape.
CREATE TABLE IF NOT EXISTS jobqueue (
  id       TEXT PRIMARY KEY DEFAULT ('m_' || replace(gen_random_uuid()::text, '-', '')),
  created  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  queue    TEXT NOT NULL,
  body     BYTEA NOT NULL,
  timeout  TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  received INTEGER NOT NULL DEFAULT 0
);

CREATE OR REPLACE FUNCTION jobqueue_update_timestamp() RETURNS TRIGGER AS $$
BEGIN
  NEW.updated = NOW();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS jobqueue_updated_timestamp ON jobqueue;
CREATE TRIGGER jobqueue_updated_timestamp BEFORE UPDATE ON jobqueue
  FOR EACH ROW EXECUTE FUNCTION jobqueue_update_timestamp();

CREATE INDEX IF NOT EXISTS jobqueue_queue_created_idx ON jobqueue (queue, created);

CREATE TABLE IF NOT EXISTS jobqueue_dead (
  id             TEXT PRIMARY KEY,
  created        TIMESTAMPTZ NOT NULL,
  updated        TIMESTAMPTZ NOT NULL,
  queue          TEXT NOT NULL,
  body           BYTEA NOT NULL,
  timeout        TIMESTAMPTZ NOT NULL,
  received       INTEGER NOT NULL,
  job_name       TEXT NOT NULL,
  failure_reason TEXT NOT NULL,
  error_message  TEXT NOT NULL,
  moved_at       TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

CREATE INDEX IF NOT EXISTS jobqueue_dead_queue_moved_at_idx ON jobqueue_dead (queue, moved_at);
