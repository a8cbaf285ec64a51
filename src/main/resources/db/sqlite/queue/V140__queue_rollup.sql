-- Per-minute rollups of each queue's activity, for the console's charts and `piri-db rollups`.
-- minute: epoch ms of the minute's start. Counts add up across writes of the same minute (a stop
-- in the middle of one, then a start); the latencies (microseconds) and the lag keep the largest. A minute
-- without activity has no row. Rows older than repo.database.rollup_retention are deleted by the
-- writes that add rows.
CREATE TABLE queue_rollup (
  queue        TEXT    NOT NULL,
  minute       INTEGER NOT NULL,
  enqueued     INTEGER NOT NULL,
  completed    INTEGER NOT NULL,
  failed       INTEGER NOT NULL,
  dead         INTEGER NOT NULL,
  lag_ms       INTEGER,
  claim_p50_us INTEGER,
  claim_p95_us INTEGER,
  claim_p99_us INTEGER,
  PRIMARY KEY (queue, minute)
) WITHOUT ROWID;

-- Pruning walks the oldest minutes of every queue at once.
CREATE INDEX queue_rollup_minute ON queue_rollup (minute);
