CREATE TABLE own_first (x INTEGER);
