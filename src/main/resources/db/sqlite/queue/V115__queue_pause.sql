-- Paused queues: a row per queue whose claims hand out nothing until it is resumed. Claims read
-- it in their own statement, so a pause holds on every instance and across restarts.
CREATE TABLE queue_pause (
  queue     TEXT   PRIMARY KEY,
  paused_at BIGINT NOT NULL,
  paused_by TEXT
);
