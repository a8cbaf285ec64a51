-- name: other
SELECT 1;
