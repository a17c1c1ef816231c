-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
CREATE VIEW active_accounts AS SELECT * FROM accounts WHERE name IS NOT NULL;
CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM accounts $$;
CREATE PROCEDURE purge_accounts() LANGUAGE sql AS $$ DELETE FROM accounts WHERE name IS NULL $$;
