-- Store metadata: the backend recorded at the first start.

-- name: insert-backend
INSERT INTO piri_meta (key, value) VALUES ('backend', ?) ON CONFLICT (key) DO NOTHING;

-- name: select-backend
SELECT value FROM piri_meta WHERE key = 'backend';

-- name: health
-- The health check's trivial query: the database answers.
SELECT 1;

-- name: backup
-- A consistent copy of the whole file, written while serving (piri-db backup). VACUUM refuses to
-- run inside a transaction, so the writer runs it alone; it fails if the target file exists.
VACUUM INTO ?;
