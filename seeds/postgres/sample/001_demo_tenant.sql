-- Demo tenant for development and demos (seed modes sample and full).
-- Fixed ids so the aiml-postgres sample seeds can refer to the same tenant.

INSERT INTO core.tenants AS t (id, slug, name, status, plan, metadata)
VALUES
    ('00000000-0000-4000-a000-000000000001', 'acme-demo', 'Acme Corporation (demo)', 'active', 'enterprise',
     '{"demo": true, "industry": "manufacturing", "region": "eu-west"}'::jsonb)
ON CONFLICT (id) DO UPDATE
    SET slug     = EXCLUDED.slug,
        name     = EXCLUDED.name,
        status   = EXCLUDED.status,
        plan     = EXCLUDED.plan,
        metadata = EXCLUDED.metadata
  WHERE (t.slug, t.name, t.status, t.plan, t.metadata)
        IS DISTINCT FROM
        (EXCLUDED.slug, EXCLUDED.name, EXCLUDED.status, EXCLUDED.plan, EXCLUDED.metadata);
