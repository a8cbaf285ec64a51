-- The job-queue engine, shared by the replicator, aggregator and egress_tracker stores.
-- Times are epoch milliseconds. A job is ready when run_at <= now and attempts < max_attempts;
-- while leased, receipt is set and run_at is the lease expiry.

CREATE TABLE job (
  id           BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue        TEXT     NOT NULL,
  name         TEXT     NOT NULL,
  payload      BYTEA    NOT NULL,
  is_json      SMALLINT NOT NULL,
  dedupe_key   BYTEA,
  enqueued_at  BIGINT   NOT NULL,
  run_at       BIGINT   NOT NULL,
  attempts     INTEGER  NOT NULL DEFAULT 0,
  max_attempts INTEGER  NOT NULL,
  receipt      TEXT,
  last_error   TEXT
);

-- Claims walk this index in order, so their cost does not grow with the backlog.
CREATE INDEX job_claim ON job (queue, run_at, id);
-- Only jobs on their last attempt whose lease may expire; the reaper reads it.
CREATE INDEX job_exhausted ON job (queue, run_at) WHERE attempts >= max_attempts;
-- One live job per (queue, name, key) on dedupe queues.
CREATE UNIQUE INDEX job_dedupe ON job (queue, name, dedupe_key) WHERE dedupe_key IS NOT NULL;

-- Keys of dedupe queues that completed (status 1) or were dead-lettered (status 2).
CREATE TABLE job_done (
  queue      TEXT     NOT NULL,
  name       TEXT     NOT NULL,
  dedupe_key BYTEA    NOT NULL,
  status     SMALLINT NOT NULL,
  done_at    BIGINT   NOT NULL,
  PRIMARY KEY (queue, name, dedupe_key)
);

CREATE TABLE job_dead (
  id          BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  job_id      BIGINT   NOT NULL,
  queue       TEXT     NOT NULL,
  name        TEXT     NOT NULL,
  payload     BYTEA    NOT NULL,
  is_json     SMALLINT NOT NULL,
  dedupe_key  BYTEA,
  enqueued_at BIGINT   NOT NULL,
  attempts    INTEGER  NOT NULL,
  reason      TEXT     NOT NULL,
  error       TEXT     NOT NULL,
  failed_at   BIGINT   NOT NULL
);

CREATE INDEX job_dead_queue ON job_dead (queue, id);

-- Completed-job totals per queue, flushed from memory about once a second.
CREATE TABLE queue_counter (
  queue TEXT   PRIMARY KEY,
  done  BIGINT NOT NULL
);
