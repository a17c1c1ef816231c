-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
ALTER TABLE accounts ADD CONSTRAINT accounts_email_at CHECK (position('@' IN email) > 0);
