-- name: only-here
SELECT 1;
