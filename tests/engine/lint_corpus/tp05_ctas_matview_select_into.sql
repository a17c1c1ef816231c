-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
CREATE TABLE accounts_backup AS SELECT * FROM accounts;
CREATE MATERIALIZED VIEW account_stats AS SELECT count(*) AS n FROM accounts;
SELECT id, email INTO accounts_emails FROM accounts;
