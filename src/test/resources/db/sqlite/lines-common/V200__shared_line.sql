CREATE TABLE shared_line (x INTEGER);
