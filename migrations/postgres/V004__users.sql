-- Users belong to exactly one tenant; e-mail is unique within a tenant, case-insensitively.

CREATE TABLE IF NOT EXISTS core.users (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid        NOT NULL REFERENCES core.tenants (id) ON DELETE CASCADE,
    email         citext      NOT NULL,
    display_name  text        NOT NULL,
    role          text        NOT NULL DEFAULT 'member',
    status        text        NOT NULL DEFAULT 'active',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_tenant_email_key UNIQUE (tenant_id, email),
    CONSTRAINT users_email_format CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    CONSTRAINT users_role_check CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    CONSTRAINT users_status_check CHECK (status IN ('invited', 'active', 'disabled'))
);

COMMENT ON TABLE core.users IS 'Platform users; (tenant_id, email) is unique, email compared case-insensitively.';

-- The unique constraint already indexes (tenant_id, email); these serve cross-tenant lookups.
CREATE INDEX IF NOT EXISTS users_email_idx
    ON core.users (email);

CREATE INDEX IF NOT EXISTS users_display_name_trgm_idx
    ON core.users USING gin (display_name gin_trgm_ops);

CREATE OR REPLACE TRIGGER users_set_updated_at
    BEFORE UPDATE ON core.users
    FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();

CREATE OR REPLACE TRIGGER users_audit
    AFTER INSERT OR UPDATE OR DELETE ON core.users
    FOR EACH ROW EXECUTE FUNCTION audit.log_change();
