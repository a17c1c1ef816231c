-- setup: CREATE TABLE jobs (id int, state text);
-- A marker row that only lives while the backfill below runs.
INSERT INTO jobs (id, state) VALUES (0, 'migration running');
UPDATE jobs SET state = 'queued' WHERE state IS NULL;
DELETE FROM jobs WHERE id = 0;
