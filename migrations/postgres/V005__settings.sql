-- Settings: system-wide definitions with defaults (seeded as reference data) and per-tenant overrides.

CREATE TABLE IF NOT EXISTS core.setting_definitions (
    key                text        PRIMARY KEY,
    value_type         text        NOT NULL,
    default_value      jsonb       NOT NULL,
    description        text        NOT NULL DEFAULT '',
    tenant_overridable boolean     NOT NULL DEFAULT true,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT setting_definitions_key_format CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
    CONSTRAINT setting_definitions_value_type_check
        CHECK (value_type IN ('string', 'integer', 'number', 'boolean', 'object', 'array')),
    -- jsonb has no integer type: an 'integer' setting is a jsonb number without a fraction.
    CONSTRAINT setting_definitions_default_matches_type CHECK (
        jsonb_typeof(default_value) = CASE value_type WHEN 'integer' THEN 'number' ELSE value_type END
        AND (value_type <> 'integer' OR default_value::text !~ '[.eE]')
    )
);

COMMENT ON TABLE core.setting_definitions IS 'Every known setting with its type and system default (reference seed).';

CREATE TABLE IF NOT EXISTS core.tenant_settings (
    tenant_id  uuid        NOT NULL REFERENCES core.tenants (id) ON DELETE CASCADE,
    key        text        NOT NULL REFERENCES core.setting_definitions (key) ON UPDATE CASCADE ON DELETE CASCADE,
    value      jsonb       NOT NULL,
    updated_by uuid                 REFERENCES core.users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
);

COMMENT ON TABLE core.tenant_settings IS 'Per-tenant overrides of core.setting_definitions defaults.';

CREATE INDEX IF NOT EXISTS tenant_settings_key_idx
    ON core.tenant_settings (key);

CREATE OR REPLACE TRIGGER setting_definitions_set_updated_at
    BEFORE UPDATE ON core.setting_definitions
    FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();

CREATE OR REPLACE TRIGGER setting_definitions_audit
    AFTER INSERT OR UPDATE OR DELETE ON core.setting_definitions
    FOR EACH ROW EXECUTE FUNCTION audit.log_change('key');

CREATE OR REPLACE TRIGGER tenant_settings_set_updated_at
    BEFORE UPDATE ON core.tenant_settings
    FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();

CREATE OR REPLACE TRIGGER tenant_settings_audit
    AFTER INSERT OR UPDATE OR DELETE ON core.tenant_settings
    FOR EACH ROW EXECUTE FUNCTION audit.log_change('key');

-- The value each tenant actually gets: its override when the setting allows one, else the default.
CREATE OR REPLACE VIEW core.effective_settings AS
SELECT t.id   AS tenant_id,
       t.slug AS tenant_slug,
       d.key,
       d.value_type,
       CASE WHEN d.tenant_overridable AND s.value IS NOT NULL THEN s.value ELSE d.default_value END AS value,
       (d.tenant_overridable AND s.value IS NOT NULL) AS overridden
  FROM core.tenants AS t
 CROSS JOIN core.setting_definitions AS d
  LEFT JOIN core.tenant_settings AS s
         ON s.tenant_id = t.id
        AND s.key = d.key;

COMMENT ON VIEW core.effective_settings IS 'Resolved settings per tenant (override if allowed, else default).';
