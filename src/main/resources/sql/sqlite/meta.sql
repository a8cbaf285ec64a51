-- SQLite's own statements of the store (the shared ones are in ../meta.sql).

-- name: backup (sqlite only)
-- A consistent copy of the whole file, written while serving (piri-db backup). VACUUM refuses to
-- run inside a transaction, so it runs on a connection of its own; it fails if the target exists.
VACUUM INTO ?1;
