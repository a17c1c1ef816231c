-- setup: CREATE TABLE seed_log (n int);
WITH added AS (INSERT INTO seed_log (n) VALUES (1) RETURNING n) SELECT count(*) FROM added;
