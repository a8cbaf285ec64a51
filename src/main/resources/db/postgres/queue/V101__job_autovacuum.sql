-- A queue table deletes nearly everything it inserts. Vacuum it after 1% of its rows changed
-- (PostgreSQL's default waits for 20%), so that claims do not walk dead index entries for long.
ALTER TABLE job SET (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_analyze_scale_factor = 0.02
);
