-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
ALTER TABLE IF EXISTS accounts RENAME TO users;
ALTER TABLE IF EXISTS users ADD COLUMN IF NOT EXISTS last_login timestamptz;
