-- setup: CREATE FUNCTION price_with_tax(numeric) RETURNS numeric LANGUAGE sql AS 'SELECT $1 * 1.2';
-- The return type changes, which OR REPLACE cannot do.
DROP FUNCTION price_with_tax(numeric);
CREATE FUNCTION price_with_tax(amount numeric) RETURNS numeric(12, 2)
    LANGUAGE sql IMMUTABLE AS $$ SELECT round(amount * 1.2, 2) $$;
