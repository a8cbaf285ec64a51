-- The task engine (issue 4). Piri's columns for task and task_history (piri-scheduler.md 1.1-1.2),
-- with epoch-millisecond timestamps, plus what the fixes need: sessions with an expiry (D1, D20),
-- a due time for retries (D2, D3), a unique key for adds, and indexes for claim and history (D12).

-- A claimer's session. A row whose expires_at has passed is deleted by the store's expiry timer;
-- the foreign key below then releases its tasks (session_id back to NULL).
CREATE TABLE task_session (
  id          TEXT    PRIMARY KEY NOT NULL,
  name        TEXT    NOT NULL DEFAULT '',
  ttl_ms      INTEGER NOT NULL,
  opened_at   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX task_session_expires ON task_session (expires_at);

CREATE TABLE task (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  initiated_by   INTEGER,
  update_time    INTEGER NOT NULL,
  posted_time    INTEGER NOT NULL,
  session_id     TEXT REFERENCES task_session (id) ON DELETE SET NULL,
  added_by       TEXT    NOT NULL DEFAULT '',
  previous_task  INTEGER,
  name           TEXT    NOT NULL,
  retries        INTEGER NOT NULL DEFAULT 0,
  -- not Piri's: when the task may run again (D2, D3) and how often it was deferred (backoff)
  runnable_at    INTEGER NOT NULL,
  deferrals      INTEGER NOT NULL DEFAULT 0,
  unique_key     TEXT,
  UNIQUE (name, unique_key)
);
-- claim: runnable tasks of one type, oldest due first
CREATE INDEX task_claim ON task (name, runnable_at, id) WHERE session_id IS NULL;
-- the expiry timer: the next unclaimed task that becomes due
CREATE INDEX task_due ON task (runnable_at) WHERE session_id IS NULL;
-- what a session holds (release, max_running, the foreign key)
CREATE INDEX task_session_id ON task (session_id) WHERE session_id IS NOT NULL;

CREATE TABLE task_history (
  id                       INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id                  INTEGER NOT NULL,
  name                     TEXT    NOT NULL,
  posted                   INTEGER NOT NULL,
  work_start               INTEGER NOT NULL,
  work_end                 INTEGER NOT NULL,
  result                   INTEGER NOT NULL,
  err                      TEXT,
  completed_by_session_id  TEXT    NOT NULL,
  -- not Piri's: the outcome as sent, what happened to the task, and when the store recorded it
  outcome                  TEXT    NOT NULL,
  state                    TEXT    NOT NULL,
  recorded_at              INTEGER NOT NULL
);
CREATE INDEX task_history_task_id ON task_history (task_id, id);
CREATE INDEX task_history_name ON task_history (name, id);
CREATE INDEX task_history_recorded_at ON task_history (recorded_at);
