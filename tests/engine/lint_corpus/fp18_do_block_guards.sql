-- setup: CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL, name text); INSERT INTO accounts VALUES (1, 'a@x', 'A'), (2, 'b@x', 'B');
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'accounts_email_key') THEN
        ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
    END IF;
    IF to_regtype('account_kind') IS NULL THEN
        CREATE TYPE account_kind AS ENUM ('person', 'company');
    END IF;
END
$$;
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS kind account_kind;
