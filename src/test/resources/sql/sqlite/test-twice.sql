-- name: x
SELECT 2;
