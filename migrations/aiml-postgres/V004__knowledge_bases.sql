-- Knowledge bases: named document collections with one embedding configuration, and the agents
-- allowed to retrieve from them.

CREATE TABLE IF NOT EXISTS aiml.knowledge_bases (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id            uuid        NOT NULL,
    slug                 text        NOT NULL,
    name                 text        NOT NULL,
    description          text        NOT NULL DEFAULT '',
    embedding_model      text        NOT NULL DEFAULT 'sentence-transformers/all-MiniLM-L6-v2',
    -- Fixed by the aiml.chunks.embedding column type, vector(384).
    embedding_dimensions integer     NOT NULL DEFAULT 384,
    distance_metric      text        NOT NULL DEFAULT 'cosine',
    chunk_size           integer     NOT NULL DEFAULT 512,
    chunk_overlap        integer     NOT NULL DEFAULT 64,
    status               text        NOT NULL DEFAULT 'active',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT knowledge_bases_tenant_slug_key UNIQUE (tenant_id, slug),
    CONSTRAINT knowledge_bases_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    CONSTRAINT knowledge_bases_embedding_dimensions_check CHECK (embedding_dimensions = 384),
    CONSTRAINT knowledge_bases_distance_metric_check CHECK (distance_metric IN ('cosine')),
    CONSTRAINT knowledge_bases_chunking_check
        CHECK (chunk_size > 0 AND chunk_overlap >= 0 AND chunk_overlap < chunk_size),
    CONSTRAINT knowledge_bases_status_check CHECK (status IN ('active', 'read_only', 'archived'))
);

COMMENT ON TABLE aiml.knowledge_bases IS 'Document collections; each has one embedding model and chunking policy.';

CREATE OR REPLACE TRIGGER knowledge_bases_set_updated_at
    BEFORE UPDATE ON aiml.knowledge_bases
    FOR EACH ROW EXECUTE FUNCTION aiml.set_updated_at();

CREATE TABLE IF NOT EXISTS aiml.agent_knowledge_bases (
    agent_id          uuid        NOT NULL REFERENCES aiml.agents (id) ON DELETE CASCADE,
    knowledge_base_id uuid        NOT NULL REFERENCES aiml.knowledge_bases (id) ON DELETE CASCADE,
    -- Lower value = consulted first when an agent retrieves from several knowledge bases.
    priority          smallint    NOT NULL DEFAULT 100,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (agent_id, knowledge_base_id)
);

COMMENT ON TABLE aiml.agent_knowledge_bases IS 'Which knowledge bases each agent may retrieve from, in priority order.';

CREATE INDEX IF NOT EXISTS agent_knowledge_bases_knowledge_base_id_idx
    ON aiml.agent_knowledge_bases (knowledge_base_id);
