-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
-- between: INSERT INTO accounts VALUES (3, 'c@x', 'app row')
CREATE TABLE accounts_new (id bigint CONSTRAINT accounts_new_pk PRIMARY KEY, email text NOT NULL, name text);
INSERT INTO accounts_new SELECT * FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_new RENAME TO accounts;
