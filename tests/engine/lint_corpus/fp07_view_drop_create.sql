-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'); CREATE VIEW account_emails AS SELECT id, email FROM accounts;
-- A view's columns cannot change with OR REPLACE: drop and create it.
DROP VIEW account_emails;
CREATE VIEW account_emails AS
SELECT id, lower(email) AS email, name
FROM accounts;
