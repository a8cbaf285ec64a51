-- The audit trail of every store (src/main/java/io/piri/db/audit), the same in both dialects:
-- ?1..?N (rendered $1..$N for PostgreSQL). Times are epoch milliseconds.

-- name: audit-insert
INSERT INTO audit (at, actor, actor_role, via, action, queue, filter, affected) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);

-- Newest first, by key: the page before the id the previous page ended with.
-- name: audit-page
SELECT id, at, actor, actor_role, via, action, queue, filter, affected FROM audit WHERE id < ?1 ORDER BY id DESC LIMIT ?2;
