-- Extensions for the AI/ML database.

-- vector (pgvector): the vector type, distance operators and the HNSW / IVFFlat index methods.
CREATE EXTENSION IF NOT EXISTS vector;

-- pg_trgm: trigram indexes for fuzzy title search on documents.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- pgcrypto: digest()/crypt() for applications that want them. Some builds (for example the
-- embedded PostgreSQL used for local runs) are compiled without OpenSSL and do not ship it, so it is
-- installed only where available. Nothing in this schema depends on it: gen_random_uuid() and
-- sha256() are core PostgreSQL.
DO $do$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_available_extensions WHERE name = 'pgcrypto') THEN
        CREATE EXTENSION IF NOT EXISTS pgcrypto;
    END IF;
END
$do$;
