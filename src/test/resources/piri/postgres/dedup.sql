-- A Piri node's dedup job queue in PostgreSQL, as Piri v0.2.3-v0.2.4 creates it
-- (piri-jobqueue.md 3.1): SERIAL ids, BYTEA keys and bodies, BIGINT epoch seconds. Run with
-- search_path set to the store's schema. Test fixture: adopt is tested against this shape.
CREATE TABLE IF NOT EXISTS queues (
  queue          TEXT PRIMARY KEY,
  dedupe_enabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS job_ns (
  id    SERIAL PRIMARY KEY,
  queue TEXT NOT NULL,
  name  TEXT NOT NULL,
  UNIQUE (queue, name)
);

CREATE TABLE IF NOT EXISTS jobs (
  id        SERIAL PRIMARY KEY,
  ns_id     INTEGER NOT NULL,
  key       BYTEA NOT NULL,
  body      BYTEA NOT NULL,
  created_s BIGINT NOT NULL DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  avail_s   BIGINT NOT NULL,
  attempts  INTEGER NOT NULL DEFAULT 0,
  FOREIGN KEY (ns_id) REFERENCES job_ns (id)
);

CREATE UNIQUE INDEX IF NOT EXISTS jobs_unique_live ON jobs (ns_id, key);
CREATE INDEX IF NOT EXISTS jobs_claim_idx ON jobs (ns_id, avail_s, id);

CREATE TABLE IF NOT EXISTS job_done (
  ns_id  INTEGER NOT NULL,
  key    BYTEA NOT NULL,
  status INTEGER NOT NULL,
  done_s BIGINT NOT NULL DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  PRIMARY KEY (ns_id, key)
);

CREATE TABLE IF NOT EXISTS job_dead (
  id       SERIAL PRIMARY KEY,
  ns_id    INTEGER NOT NULL,
  key      BYTEA NOT NULL,
  body     BYTEA NOT NULL,
  attempts INTEGER NOT NULL,
  reason   TEXT NOT NULL,
  error    TEXT NOT NULL,
  moved_s  BIGINT NOT NULL DEFAULT EXTRACT(EPOCH FROM NOW())::BIGINT,
  FOREIGN KEY (ns_id) REFERENCES job_ns (id)
);
