-- Store metadata and the backends' own statements. Shared: ?1..?N (rendered $1..$N for
-- PostgreSQL); sqlite/meta.sql and postgres/meta.sql hold what only one backend runs.

-- name: insert-backend
INSERT INTO piri_meta (key, value) VALUES ('backend', ?1) ON CONFLICT (key) DO NOTHING;

-- name: select-backend
SELECT value FROM piri_meta WHERE key = 'backend';

-- name: health
-- The health check's trivial query: the database answers.
SELECT 1 AS ok;
