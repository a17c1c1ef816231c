-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'); CREATE INDEX accounts_email_idx ON accounts (email);
-- Replace the email index with a case-insensitive one, keeping its name.
CREATE INDEX accounts_email_idx_new ON accounts (lower(email));
DROP INDEX accounts_email_idx;
ALTER INDEX accounts_email_idx_new RENAME TO accounts_email_idx;
