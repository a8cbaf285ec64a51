-- A job's deliveries, for operators (job-deliveries). The job row holds its current delivery: when
-- its lease began and how often it was extended, set by the claim and extend statements that run
-- anyway. A delivery that ends without success (a failure, a lease that ran out, a dead letter)
-- leaves a job_attempt row, written in the transaction that ends it; a delivery that completes
-- leaves nothing, so the success path writes no extra row. The rows go with their job or dead letter.
ALTER TABLE job ADD COLUMN lease_start INTEGER;
ALTER TABLE job ADD COLUMN lease_extends INTEGER NOT NULL DEFAULT 0;

CREATE TABLE job_attempt (
  job_id      INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  lease_start INTEGER,
  lease_end   INTEGER NOT NULL,
  extends     INTEGER NOT NULL,
  outcome     TEXT    NOT NULL,
  error       TEXT,
  PRIMARY KEY (job_id, attempt)
) STRICT, WITHOUT ROWID;

-- A dead letter is found by the id its job had (job-get, job-deliveries).
CREATE INDEX job_dead_job ON job_dead (queue, job_id);
