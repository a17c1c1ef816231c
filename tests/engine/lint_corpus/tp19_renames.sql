-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'); ALTER TABLE accounts ADD CONSTRAINT accounts_id_check CHECK (id > 0); CREATE TYPE tier AS ENUM ('free', 'paid'); CREATE TABLE old_logins (id int);
ALTER TABLE accounts RENAME COLUMN name TO full_name;
ALTER TABLE accounts RENAME CONSTRAINT accounts_id_check TO accounts_id_positive;
ALTER TYPE tier RENAME VALUE 'paid' TO 'premium';
ALTER TABLE old_logins RENAME TO logins;
