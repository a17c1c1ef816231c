-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B'); CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER accounts_noop BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION noop();
CREATE CONSTRAINT TRIGGER accounts_check AFTER INSERT ON accounts
    FOR EACH ROW EXECUTE FUNCTION noop();
