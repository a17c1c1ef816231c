-- Extensions for the main ES1 database.
-- Only extensions that ship with stock PostgreSQL (contrib) are used here.

-- citext: case-insensitive e-mail addresses and tenant slugs.
CREATE EXTENSION IF NOT EXISTS citext;

-- pg_trgm: trigram indexes for fuzzy search on names.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- pgcrypto: digest()/crypt() for applications that want them. Some builds (for example the
-- embedded PostgreSQL used for local runs) are compiled without OpenSSL and do not ship it, so it is
-- installed only where available. Nothing in this schema depends on it: gen_random_uuid() is core
-- PostgreSQL since version 13.
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pgcrypto') THEN
        CREATE EXTENSION IF NOT EXISTS pgcrypto;
    END IF;
END
$do$;
