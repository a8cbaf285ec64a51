-- piri-db adopt (src/main/java/io/piri/db/adopt): the statement that reads the same in both
-- dialects; sqlite/adopt.sql and postgres/adopt.sql hold the rest, most of them one dialect's
-- alone. Plain JDBC ? parameters, which both drivers take.

-- name: record-backend
INSERT INTO piri_meta (key, value) VALUES ('backend', ?);
