-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'); ALTER TABLE accounts ADD COLUMN legacy text, ADD CONSTRAINT accounts_name_check CHECK (name <> ''); CREATE INDEX accounts_legacy_idx ON accounts (legacy);
DROP INDEX accounts_legacy_idx;
ALTER TABLE accounts DROP CONSTRAINT accounts_name_check;
ALTER TABLE accounts DROP COLUMN legacy;
