-- Approximate nearest-neighbour index for similarity search on chunk embeddings.
-- vector_cosine_ops matches knowledge_bases.distance_metric = 'cosine' (queries use the <=> operator).
-- m / ef_construction are pgvector's defaults, written out so a change is a visible new migration.
-- Built inside the migration's transaction: the table is empty or small when this first runs.
-- Rebuilding it on a large, live table belongs in a no-transaction file using CREATE INDEX CONCURRENTLY.

CREATE INDEX IF NOT EXISTS chunks_embedding_hnsw_idx
    ON aiml.chunks USING hnsw (embedding vector_cosine_ops)
    WITH (m = 16, ef_construction = 64);

COMMENT ON INDEX aiml.chunks_embedding_hnsw_idx IS 'HNSW (cosine) over chunk embeddings; set hnsw.ef_search per query session.';
