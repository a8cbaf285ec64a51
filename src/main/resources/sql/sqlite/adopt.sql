-- piri-db adopt (src/main/java/io/piri/db/adopt): looking at a store file before converting it.
-- These statements run through plain JDBC (adopt is an offline command), so parameters are
-- plain ?, in the same order as in postgres/adopt.sql. Piri's tables are read through the
-- schema name piri_adopt_source: here an ATTACHed file, on PostgreSQL the renamed store schema.

-- name: attach-source (sqlite only)
ATTACH DATABASE ? AS piri_adopt_source;

-- name: detach-source (sqlite only)
DETACH DATABASE piri_adopt_source;

-- name: source-tables
SELECT name FROM piri_adopt_source.sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY name;

-- name: source-columns
SELECT name FROM pragma_table_info(?, 'piri_adopt_source');

-- name: write-probe (sqlite only)
-- Takes the file's write lock and gives it back at once: a Piri that still writes holds it.
BEGIN IMMEDIATE;

-- name: write-probe-end (sqlite only)
ROLLBACK;

-- name: backup (sqlite only)
-- The copy an operator goes back to: consistent, written while nothing else writes.
VACUUM piri_adopt_source INTO ?;

-- Converting in place: piri-db's schema as Flyway made it in an empty staging file is replayed
-- into the store's file, inside the transaction that also drops Piri's tables and copies the
-- rows, so that the file is either still Piri's or wholly piri-db's.

-- name: attach-schema (sqlite only)
ATTACH DATABASE ? AS piri_adopt_schema;

-- name: detach-schema (sqlite only)
DETACH DATABASE piri_adopt_schema;

-- name: main-tables (sqlite only)
SELECT name FROM main.sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY name;

-- name: drop-table (sqlite only)
-- {table}: a table of Piri's, checked against the layouts adopt knows.
DROP TABLE main."{table}";

-- name: schema-objects (sqlite only)
-- In creation order, so that every table exists before its indexes and triggers.
SELECT sql FROM piri_adopt_schema.sqlite_master
WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY rowid;

-- name: schema-history-copy (sqlite only)
INSERT INTO main.flyway_schema_history SELECT * FROM piri_adopt_schema.flyway_schema_history;

-- name: foreign-key-check (sqlite only)
PRAGMA main.foreign_key_check;
