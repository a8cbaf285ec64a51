-- PostgreSQL's own statements of the backend (the shared ones are in ../meta.sql).

-- name: lock (postgres only)
-- Tx.lock: held until the transaction ends.
SELECT pg_advisory_xact_lock($1);

-- name: lock-shared (postgres only)
-- Tx.lockShared: held until the transaction ends, beside other shared holders of the key.
SELECT pg_advisory_xact_lock_shared($1);

-- name: notify (postgres only)
-- Tx.notifyAfterCommit: NOTIFY is transactional, delivered when the transaction commits.
SELECT pg_notify($1, $2);

-- name: read-only (postgres only)
-- Database.readWithTimeout: its transaction changes nothing.
SET TRANSACTION READ ONLY;

-- name: statement-timeout (postgres only)
-- Database.readWithTimeout: every statement of this transaction alone is cancelled after $1.
SELECT set_config('statement_timeout', $1, true);
