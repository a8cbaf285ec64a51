-- Reading a stopped node's stores (piri-db's read commands with --data-dir). Shared: ?1..?N.

-- name: schema-version
-- The highest migration applied, read from Flyway's own table: what a migrating start reports.
SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
ORDER BY CAST(version AS INTEGER) DESC LIMIT 1;
