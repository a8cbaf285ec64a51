-- Store metadata: the backend recorded at the first start.

-- name: insert-backend
INSERT INTO piri_meta (key, value) VALUES ('backend', $1) ON CONFLICT (key) DO NOTHING;

-- name: select-backend
SELECT value FROM piri_meta WHERE key = 'backend';

-- name: health
-- The health check's trivial query: the database answers.
SELECT 1;
