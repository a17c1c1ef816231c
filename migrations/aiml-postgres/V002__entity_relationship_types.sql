-- Knowledge-graph vocabulary: the kinds of entities extracted from documents and the kinds of
-- relationships between them. Rows are reference data (seeds/aiml-postgres/reference).

CREATE SCHEMA IF NOT EXISTS aiml;

COMMENT ON SCHEMA aiml IS 'ES1 AI/ML store: agents, knowledge bases, documents, chunks and embeddings.';

-- Shared BEFORE UPDATE trigger: moves updated_at only when the row really changed, so re-running an
-- idempotent seed leaves timestamps alone.
CREATE OR REPLACE FUNCTION aiml.set_updated_at()
    RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
AS $function$
BEGIN
    IF to_jsonb(NEW) IS DISTINCT FROM to_jsonb(OLD) THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$function$;

CREATE TABLE IF NOT EXISTS aiml.entity_types (
    key               text        PRIMARY KEY,
    label             text        NOT NULL,
    description       text        NOT NULL DEFAULT '',
    parent_key        text                 REFERENCES aiml.entity_types (key) ON UPDATE CASCADE ON DELETE SET NULL,
    attributes_schema jsonb       NOT NULL DEFAULT '{}'::jsonb,
    is_system         boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT entity_types_key_format CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT entity_types_not_own_parent CHECK (parent_key IS DISTINCT FROM key),
    CONSTRAINT entity_types_attributes_schema_is_object CHECK (jsonb_typeof(attributes_schema) = 'object')
);

COMMENT ON TABLE aiml.entity_types IS 'Kinds of knowledge-graph entities (person, organization, ...); parent_key forms a hierarchy.';

CREATE TABLE IF NOT EXISTS aiml.relationship_types (
    key             text        PRIMARY KEY,
    label           text        NOT NULL,
    description     text        NOT NULL DEFAULT '',
    -- NULL source/target type: the relationship may connect entities of any type.
    source_type_key text                 REFERENCES aiml.entity_types (key) ON UPDATE CASCADE ON DELETE RESTRICT,
    target_type_key text                 REFERENCES aiml.entity_types (key) ON UPDATE CASCADE ON DELETE RESTRICT,
    cardinality     text        NOT NULL DEFAULT 'many_to_many',
    is_directed     boolean     NOT NULL DEFAULT true,
    inverse_key     text,
    is_system       boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT relationship_types_key_format CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT relationship_types_cardinality_check
        CHECK (cardinality IN ('one_to_one', 'one_to_many', 'many_to_one', 'many_to_many'))
);

COMMENT ON TABLE aiml.relationship_types IS 'Kinds of edges between entities, with allowed endpoint types and an optional inverse.';

-- Self-reference added separately (and deferrable) so inverse pairs can be inserted together.
-- ALTER TABLE ... ADD CONSTRAINT has no IF NOT EXISTS: check the catalog first.
DO $do$
BEGIN
    IF NOT EXISTS (
        SELECT 1
          FROM pg_catalog.pg_constraint
         WHERE conrelid = 'aiml.relationship_types'::regclass
           AND conname = 'relationship_types_inverse_key_fkey'
    ) THEN
        ALTER TABLE aiml.relationship_types
            ADD CONSTRAINT relationship_types_inverse_key_fkey
            FOREIGN KEY (inverse_key) REFERENCES aiml.relationship_types (key)
            ON UPDATE CASCADE ON DELETE SET NULL
            DEFERRABLE INITIALLY DEFERRED;
    END IF;
END
$do$;

CREATE INDEX IF NOT EXISTS entity_types_parent_key_idx
    ON aiml.entity_types (parent_key);

CREATE INDEX IF NOT EXISTS relationship_types_source_type_key_idx
    ON aiml.relationship_types (source_type_key);

CREATE INDEX IF NOT EXISTS relationship_types_target_type_key_idx
    ON aiml.relationship_types (target_type_key);

CREATE OR REPLACE TRIGGER entity_types_set_updated_at
    BEFORE UPDATE ON aiml.entity_types
    FOR EACH ROW EXECUTE FUNCTION aiml.set_updated_at();

CREATE OR REPLACE TRIGGER relationship_types_set_updated_at
    BEFORE UPDATE ON aiml.relationship_types
    FOR EACH ROW EXECUTE FUNCTION aiml.set_updated_at();
