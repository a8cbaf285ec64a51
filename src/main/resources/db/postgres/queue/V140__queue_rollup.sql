-- Per-minute rollups of each queue's activity, for the console's charts and `piri-db rollups`.
-- minute: epoch ms of the minute's start. Every instance writes its own share of a minute into
-- the same row: counts add up, the latencies (microseconds) and the lag keep the largest. A
-- minute without activity has no row. Rows older than repo.database.rollup_retention are deleted
-- by the writes that add rows.
CREATE TABLE queue_rollup (
  queue        TEXT   NOT NULL,
  minute       BIGINT NOT NULL,
  enqueued     BIGINT NOT NULL,
  completed    BIGINT NOT NULL,
  failed       BIGINT NOT NULL,
  dead         BIGINT NOT NULL,
  lag_ms       BIGINT,
  claim_p50_us BIGINT,
  claim_p95_us BIGINT,
  claim_p99_us BIGINT,
  PRIMARY KEY (queue, minute)
);

-- Pruning walks the oldest minutes of every queue at once.
CREATE INDEX queue_rollup_minute ON queue_rollup (minute);
