-- Facts about the store itself, such as the backend it was created with.
CREATE TABLE piri_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
