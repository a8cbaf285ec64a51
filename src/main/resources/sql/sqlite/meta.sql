-- Store metadata: the backend recorded at the first start.

-- name: insert-backend
INSERT INTO piri_meta (key, value) VALUES ('backend', ?) ON CONFLICT (key) DO NOTHING;

-- name: select-backend
SELECT value FROM piri_meta WHERE key = 'backend';
