CREATE SCHEMA IF NOT EXISTS billing;
CREATE TABLE IF NOT EXISTS billing.invoices (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    total numeric(12, 2) NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS invoices_customer_idx ON billing.invoices (customer_id);
ALTER TABLE billing.invoices ADD COLUMN IF NOT EXISTS currency text NOT NULL DEFAULT 'EUR';
CREATE OR REPLACE VIEW billing.open_invoices AS SELECT * FROM billing.invoices WHERE total > 0;
CREATE OR REPLACE FUNCTION billing.total_of(bigint) RETURNS numeric LANGUAGE sql STABLE
    AS $$ SELECT coalesce(sum(total), 0) FROM billing.invoices WHERE customer_id = $1 $$;
CREATE SEQUENCE IF NOT EXISTS billing.invoice_no;
ALTER TABLE billing.invoices DROP COLUMN IF EXISTS legacy_ref;
DROP INDEX IF EXISTS billing.invoices_old_idx;
