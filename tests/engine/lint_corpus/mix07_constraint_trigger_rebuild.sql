-- setup: CREATE TABLE ledger (id int PRIMARY KEY, amount numeric); CREATE FUNCTION ledger_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
DROP TRIGGER IF EXISTS ledger_guard ON ledger;
CREATE CONSTRAINT TRIGGER ledger_guard AFTER INSERT ON ledger
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_guard();
ALTER TABLE ledger DROP CONSTRAINT IF EXISTS ledger_amount_check, ADD CONSTRAINT ledger_amount_check CHECK (amount <> 0);
