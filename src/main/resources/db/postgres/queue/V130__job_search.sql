-- Search (docs/event-bus.md#search): every kind of search walks one of these indexes, so its
-- first page costs the same whatever the backlog. On job only what search cannot do without:
-- names and enqueue times (each costs every enqueue); error texts are indexed only once a job
-- has one (a retry), so an enqueue never touches that index. Dead letters are not on the hot
-- path: each kind has its own index there. Error texts are compared byte by byte (COLLATE "C"),
-- so that a prefix is one range of the index whatever the database's collation.
CREATE INDEX job_name ON job (queue, name, id);
CREATE INDEX job_enqueued ON job (queue, enqueued_at, id);
CREATE INDEX job_error ON job (queue, (substr(last_error, 1, 128) COLLATE "C"), id) WHERE last_error IS NOT NULL;

-- Dead letters by the id their job had: job_dead_job of V110__job_deliveries.
CREATE INDEX job_dead_name ON job_dead (queue, name, id);
CREATE INDEX job_dead_key ON job_dead (queue, name, dedupe_key, id) WHERE dedupe_key IS NOT NULL;
CREATE INDEX job_dead_error ON job_dead (queue, (substr(error, 1, 128) COLLATE "C"), id);
CREATE INDEX job_dead_failed ON job_dead (queue, failed_at, id);

-- Payload fields of the queues that configure queues.<name>.search_fields: the canonical JSON
-- text of the value at each configured path, written with the job in the same transaction and
-- kept while the job is live (dead 0) or a dead letter (dead 1).
CREATE TABLE job_field (
  queue  TEXT     NOT NULL,
  path   TEXT     NOT NULL,
  value  TEXT     NOT NULL,
  dead   SMALLINT NOT NULL,
  job_id BIGINT   NOT NULL,
  PRIMARY KEY (queue, path, value, dead, job_id)
);

CREATE INDEX job_field_job ON job_field (job_id);
