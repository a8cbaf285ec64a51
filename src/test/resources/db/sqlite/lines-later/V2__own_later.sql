CREATE TABLE own_later (x INTEGER);
