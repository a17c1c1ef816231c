-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
-- A policy that was only needed during the backfill below.
CREATE POLICY accounts_backfill ON accounts USING (true);
UPDATE accounts SET name = coalesce(name, email);
DROP POLICY accounts_backfill ON accounts;
