-- Row-level security: an application session that sets app.tenant_id only sees its tenant's rows.
-- Table owners (and superusers) bypass RLS because FORCE ROW LEVEL SECURITY is not set, so migrations,
-- seeds and the owner-run views keep working unchanged.

ALTER TABLE core.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.tenant_settings ENABLE ROW LEVEL SECURITY;

-- CREATE POLICY has no IF NOT EXISTS: check pg_policies first.
DO $do$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_policies
         WHERE schemaname = 'core' AND tablename = 'users' AND policyname = 'users_tenant_isolation'
    ) THEN
        CREATE POLICY users_tenant_isolation ON core.users
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
    END IF;

    IF NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_policies
         WHERE schemaname = 'core' AND tablename = 'tenant_settings' AND policyname = 'tenant_settings_tenant_isolation'
    ) THEN
        CREATE POLICY tenant_settings_tenant_isolation ON core.tenant_settings
            USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
            WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
    END IF;
END
$do$;
