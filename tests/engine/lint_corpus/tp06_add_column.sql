-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
