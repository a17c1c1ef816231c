-- Agents: configured LLM assistants, one set per tenant.
-- tenant_id is core.tenants.id in the main (postgres) database; there is no cross-database foreign key.

CREATE TABLE IF NOT EXISTS aiml.agents (
    id                uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id         uuid         NOT NULL,
    slug              text         NOT NULL,
    name              text         NOT NULL,
    description       text         NOT NULL DEFAULT '',
    model             text         NOT NULL,
    system_prompt     text         NOT NULL DEFAULT '',
    temperature       numeric(3,2) NOT NULL DEFAULT 0.20,
    max_output_tokens integer      NOT NULL DEFAULT 1024,
    tools             jsonb        NOT NULL DEFAULT '[]'::jsonb,
    config            jsonb        NOT NULL DEFAULT '{}'::jsonb,
    status            text         NOT NULL DEFAULT 'active',
    created_at        timestamptz  NOT NULL DEFAULT now(),
    updated_at        timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT agents_tenant_slug_key UNIQUE (tenant_id, slug),
    CONSTRAINT agents_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    CONSTRAINT agents_temperature_range CHECK (temperature BETWEEN 0 AND 2),
    CONSTRAINT agents_max_output_tokens_positive CHECK (max_output_tokens > 0),
    CONSTRAINT agents_tools_is_array CHECK (jsonb_typeof(tools) = 'array'),
    CONSTRAINT agents_config_is_object CHECK (jsonb_typeof(config) = 'object'),
    CONSTRAINT agents_status_check CHECK (status IN ('draft', 'active', 'disabled'))
);

COMMENT ON TABLE aiml.agents IS 'LLM agents per tenant: model, prompt, sampling parameters and enabled tools.';

CREATE INDEX IF NOT EXISTS agents_tenant_status_idx
    ON aiml.agents (tenant_id, status);

CREATE OR REPLACE TRIGGER agents_set_updated_at
    BEFORE UPDATE ON aiml.agents
    FOR EACH ROW EXECUTE FUNCTION aiml.set_updated_at();
