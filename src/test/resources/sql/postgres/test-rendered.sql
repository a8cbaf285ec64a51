-- name: own
SELECT $1::jsonb ->> 'n';
