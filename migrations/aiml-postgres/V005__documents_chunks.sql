-- Documents and their chunks. Each chunk carries a 384-dimension embedding
-- (sentence-transformers/all-MiniLM-L6-v2 size); the HNSW index on it is V006.

-- CREATE TYPE has no IF NOT EXISTS: check the catalog first.
DO $do$
BEGIN
    IF NOT EXISTS (
        SELECT 1
          FROM pg_catalog.pg_type AS t
          JOIN pg_catalog.pg_namespace AS n ON n.oid = t.typnamespace
         WHERE n.nspname = 'aiml'
           AND t.typname = 'document_status'
    ) THEN
        CREATE TYPE aiml.document_status AS ENUM ('pending', 'processing', 'ready', 'failed', 'archived');
    END IF;
END
$do$;

CREATE TABLE IF NOT EXISTS aiml.documents (
    id                uuid                 PRIMARY KEY DEFAULT gen_random_uuid(),
    knowledge_base_id uuid                 NOT NULL REFERENCES aiml.knowledge_bases (id) ON DELETE CASCADE,
    -- Caller's stable identifier (path, URL, ticket id): re-ingesting the same source updates in place.
    external_ref      text                 NOT NULL,
    title             text                 NOT NULL,
    source_uri        text,
    mime_type         text                 NOT NULL DEFAULT 'text/plain',
    language          text                 NOT NULL DEFAULT 'en',
    content_sha256    text,
    status            aiml.document_status NOT NULL DEFAULT 'pending',
    token_count       integer,
    error             text,
    metadata          jsonb                NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz          NOT NULL DEFAULT now(),
    updated_at        timestamptz          NOT NULL DEFAULT now(),
    CONSTRAINT documents_kb_external_ref_key UNIQUE (knowledge_base_id, external_ref),
    -- Target of the chunks' composite foreign key, which keeps chunks.knowledge_base_id consistent.
    CONSTRAINT documents_id_kb_key UNIQUE (id, knowledge_base_id),
    CONSTRAINT documents_content_sha256_format CHECK (content_sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT documents_token_count_nonnegative CHECK (token_count >= 0),
    CONSTRAINT documents_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

COMMENT ON TABLE aiml.documents IS 'Source documents of a knowledge base; (knowledge_base_id, external_ref) is the natural key.';

CREATE OR REPLACE TRIGGER documents_set_updated_at
    BEFORE UPDATE ON aiml.documents
    FOR EACH ROW EXECUTE FUNCTION aiml.set_updated_at();

CREATE TABLE IF NOT EXISTS aiml.chunks (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    document_id       uuid        NOT NULL,
    -- Denormalised from the document so similarity search can filter by knowledge base cheaply.
    knowledge_base_id uuid        NOT NULL,
    chunk_index       integer     NOT NULL,
    content           text        NOT NULL,
    token_count       integer,
    -- NULL until the embedding worker has processed the chunk.
    embedding         vector(384),
    embedded_at       timestamptz,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chunks_document_chunk_index_key UNIQUE (document_id, chunk_index),
    CONSTRAINT chunks_document_fkey FOREIGN KEY (document_id, knowledge_base_id)
        REFERENCES aiml.documents (id, knowledge_base_id) ON DELETE CASCADE,
    CONSTRAINT chunks_chunk_index_nonnegative CHECK (chunk_index >= 0),
    CONSTRAINT chunks_token_count_nonnegative CHECK (token_count >= 0),
    CONSTRAINT chunks_embedded_at_with_embedding CHECK (embedded_at IS NULL OR embedding IS NOT NULL),
    CONSTRAINT chunks_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

COMMENT ON TABLE aiml.chunks IS 'Retrieval units of a document with their vector(384) embedding.';

CREATE INDEX IF NOT EXISTS chunks_knowledge_base_id_idx
    ON aiml.chunks (knowledge_base_id);

CREATE OR REPLACE TRIGGER chunks_set_updated_at
    BEFORE UPDATE ON aiml.chunks
    FOR EACH ROW EXECUTE FUNCTION aiml.set_updated_at();

CREATE OR REPLACE VIEW aiml.knowledge_base_stats AS
SELECT kb.id                                                    AS knowledge_base_id,
       kb.tenant_id,
       kb.slug,
       count(DISTINCT d.id)                                     AS document_count,
       count(DISTINCT d.id) FILTER (WHERE d.status = 'ready')   AS ready_document_count,
       count(c.id)                                              AS chunk_count,
       count(c.id) FILTER (WHERE c.embedding IS NOT NULL)       AS embedded_chunk_count,
       max(d.updated_at)                                        AS last_document_change
  FROM aiml.knowledge_bases AS kb
  LEFT JOIN aiml.documents AS d ON d.knowledge_base_id = kb.id
  LEFT JOIN aiml.chunks AS c ON c.document_id = d.id
 GROUP BY kb.id, kb.tenant_id, kb.slug;

COMMENT ON VIEW aiml.knowledge_base_stats IS 'Per knowledge base: documents, ready documents, chunks and embedded chunks.';
