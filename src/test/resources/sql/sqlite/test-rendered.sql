-- name: own
SELECT json_extract(?1, '$.n');

-- name: mine (sqlite only)
SELECT ?1;
