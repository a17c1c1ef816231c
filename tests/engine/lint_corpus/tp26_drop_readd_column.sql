-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
-- between: UPDATE accounts SET name = 'set by the app'
ALTER TABLE accounts DROP COLUMN IF EXISTS name;
ALTER TABLE accounts ADD COLUMN name text;
