-- Tenants: the top of the ownership tree. Everything tenant-scoped references core.tenants(id).

CREATE SCHEMA IF NOT EXISTS core;

COMMENT ON SCHEMA core IS 'ES1 platform core: tenants, users and settings.';

-- Shared BEFORE UPDATE trigger: moves updated_at only when the row really changed, so re-running an
-- idempotent seed leaves timestamps (and the audit log) alone.
CREATE OR REPLACE FUNCTION core.set_updated_at()
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

CREATE TABLE IF NOT EXISTS core.tenants (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    slug         citext      NOT NULL,
    name         text        NOT NULL,
    status       text        NOT NULL DEFAULT 'active',
    plan         text        NOT NULL DEFAULT 'standard',
    metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tenants_slug_key UNIQUE (slug),
    CONSTRAINT tenants_slug_format CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended', 'archived')),
    CONSTRAINT tenants_plan_check CHECK (plan IN ('free', 'standard', 'enterprise')),
    CONSTRAINT tenants_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

COMMENT ON TABLE core.tenants IS 'Customer organisations; slug is the stable, URL-safe identifier.';

CREATE INDEX IF NOT EXISTS tenants_name_trgm_idx
    ON core.tenants USING gin (name gin_trgm_ops);

CREATE OR REPLACE TRIGGER tenants_set_updated_at
    BEFORE UPDATE ON core.tenants
    FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();

CREATE OR REPLACE TRIGGER tenants_audit
    AFTER INSERT OR UPDATE OR DELETE ON core.tenants
    FOR EACH ROW EXECUTE FUNCTION audit.log_change();
