-- SQLite's own statements of the store (the shared ones are in ../meta.sql).

-- name: backup (sqlite only)
-- A consistent copy of the whole file, written while serving (piri-db backup). VACUUM refuses to
-- run inside a transaction, so it runs on a connection of its own; it fails if the target exists.
VACUUM INTO ?1;

-- name: wal-checkpoint (sqlite only)
-- Copies what the WAL holds into the database file without waiting for readers or the writer
-- (PASSIVE), on a read connection, so that the writer's commits do not pay for it.
PRAGMA wal_checkpoint(PASSIVE);
