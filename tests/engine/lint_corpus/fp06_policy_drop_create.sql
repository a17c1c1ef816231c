-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS accounts_self ON accounts;
CREATE POLICY accounts_self ON accounts
    USING (email = current_user);
