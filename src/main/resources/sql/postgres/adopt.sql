-- piri-db adopt (src/main/java/io/piri/db/adopt): looking at a store schema before converting it.
-- These statements run through plain JDBC (adopt is an offline command), so parameters are
-- plain ?, in the same order as in sqlite/adopt.sql. {store} stands for the store's schema
-- name (one of the four store ids: SQL cannot bind an identifier).

-- name: source-tables
SELECT table_name FROM information_schema.tables
WHERE table_schema = ? AND table_type = 'BASE TABLE'
ORDER BY table_name;

-- name: source-columns
SELECT column_name FROM information_schema.columns
WHERE table_schema = ? AND table_name = ?;

-- name: other-sessions (postgres only)
-- Sessions of other applications on this database: a Piri that still runs holds some. Adopt's
-- own (?: its application name) are left out: a connection it just closed may still be listed.
SELECT pid, coalesce(application_name, ''), coalesce(client_addr::text, 'local'), backend_start
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
  AND application_name IS DISTINCT FROM ?
ORDER BY backend_start;

-- Converting: Flyway builds piri-db's schema in piri_adopt_target; then one transaction renames
-- the store's schema to piri_adopt_source and piri_adopt_target to the store's name, copies the
-- rows across, and drops piri_adopt_source. A failure rolls all of it back.

-- name: target-drop (postgres only)
DROP SCHEMA IF EXISTS piri_adopt_target CASCADE;

-- name: target-create (postgres only)
CREATE SCHEMA piri_adopt_target;

-- name: source-rename (postgres only)
ALTER SCHEMA {store} RENAME TO piri_adopt_source;

-- name: target-rename (postgres only)
ALTER SCHEMA piri_adopt_target RENAME TO {store};

-- name: search-path (postgres only)
SET LOCAL search_path TO {store};

-- name: source-drop (postgres only)
DROP SCHEMA piri_adopt_source CASCADE;
