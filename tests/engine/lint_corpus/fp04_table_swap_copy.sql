-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
-- between: INSERT INTO accounts VALUES (3, 'c@x', 'app row')
-- Rewrite accounts into a new table, then swap it in.
CREATE TABLE accounts_new (id bigint NOT NULL, email text NOT NULL, name text);
INSERT INTO accounts_new (id, email, name) SELECT id, lower(email), name FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
