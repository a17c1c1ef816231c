-- db-migrate: no-transaction
-- Search indexes on documents and chunks, built without blocking writes.
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block: the engine detects it (and the
-- header above forces it) and runs this file one statement at a time, outside a transaction.
-- Keep only concurrent index builds in this file. A build that fails leaves an INVALID index behind;
-- the engine reports it on the next run (IF NOT EXISTS alone would skip it): drop it with
-- DROP INDEX CONCURRENTLY IF EXISTS and run again.

CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_title_trgm_idx
    ON aiml.documents USING gin (title gin_trgm_ops);

CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_kb_status_created_idx
    ON aiml.documents (knowledge_base_id, status, created_at DESC);

CREATE INDEX CONCURRENTLY IF NOT EXISTS documents_metadata_gin_idx
    ON aiml.documents USING gin (metadata jsonb_path_ops);

CREATE INDEX CONCURRENTLY IF NOT EXISTS chunks_content_fts_idx
    ON aiml.chunks USING gin (to_tsvector('english'::regconfig, content));
