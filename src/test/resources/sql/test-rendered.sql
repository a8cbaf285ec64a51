-- name: pair
SELECT ?1 AS a, '?2 stays' AS b, "q?3" AS c, ? AS d, ?12 AS e;
