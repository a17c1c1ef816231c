-- Customer-specific configuration example (seed mode full): the Globex tenant, its first
-- administrator and its contractual settings. A real deployment keeps one folder like this per
-- customer (seeds/postgres/<customer>/); folders other than reference and sample run in name order.

INSERT INTO core.tenants AS t (id, slug, name, status, plan, metadata)
VALUES
    ('00000000-0000-4000-b000-000000000001', 'globex', 'Globex Corporation', 'active', 'enterprise',
     '{"contract": "ENT-2025-017", "region": "us-east", "support_tier": "premium"}'::jsonb)
ON CONFLICT (id) DO UPDATE
    SET slug     = EXCLUDED.slug,
        name     = EXCLUDED.name,
        status   = EXCLUDED.status,
        plan     = EXCLUDED.plan,
        metadata = EXCLUDED.metadata
  WHERE (t.slug, t.name, t.status, t.plan, t.metadata)
        IS DISTINCT FROM
        (EXCLUDED.slug, EXCLUDED.name, EXCLUDED.status, EXCLUDED.plan, EXCLUDED.metadata);

-- status is set on first insert only: re-applying an edited seed must not put an administrator who
-- has accepted the invitation back to 'invited'.
INSERT INTO core.users AS u (id, tenant_id, email, display_name, role, status)
VALUES
    ('00000000-0000-4000-b000-000000000101', '00000000-0000-4000-b000-000000000001',
     'it-admin@globex.example.com', 'Globex IT Administration', 'owner', 'invited')
ON CONFLICT (id) DO UPDATE
    SET tenant_id    = EXCLUDED.tenant_id,
        email        = EXCLUDED.email,
        display_name = EXCLUDED.display_name,
        role         = EXCLUDED.role
  WHERE (u.tenant_id, u.email, u.display_name, u.role)
        IS DISTINCT FROM
        (EXCLUDED.tenant_id, EXCLUDED.email, EXCLUDED.display_name, EXCLUDED.role);

-- Contract terms: MFA for everyone, short sessions, US time zone, a larger model budget.
INSERT INTO core.tenant_settings AS s (tenant_id, key, value, updated_by)
VALUES
    ('00000000-0000-4000-b000-000000000001', 'auth.mfa_required',         'true'::jsonb,               NULL),
    ('00000000-0000-4000-b000-000000000001', 'auth.session_ttl_minutes',  '60'::jsonb,                 NULL),
    ('00000000-0000-4000-b000-000000000001', 'auth.password_min_length',  '16'::jsonb,                 NULL),
    ('00000000-0000-4000-b000-000000000001', 'locale.timezone',           '"America/New_York"'::jsonb, NULL),
    ('00000000-0000-4000-b000-000000000001', 'ai.max_tokens_per_request', '8192'::jsonb,               NULL),
    ('00000000-0000-4000-b000-000000000001', 'notifications.channels',
     '{"email": true, "webhook": true, "webhook_url": "https://hooks.globex.example.com/es1"}'::jsonb, NULL)
ON CONFLICT (tenant_id, key) DO UPDATE
    SET value = EXCLUDED.value
  WHERE s.value IS DISTINCT FROM EXCLUDED.value;
