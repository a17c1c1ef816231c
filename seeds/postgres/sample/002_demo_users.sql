-- Demo users of the acme-demo tenant, one per role. Addresses use the reserved example.com domain.

INSERT INTO core.users AS u (id, tenant_id, email, display_name, role, status)
VALUES
    ('00000000-0000-4000-a000-000000000101', '00000000-0000-4000-a000-000000000001',
     'ada.owner@example.com',    'Ada Owner',    'owner',  'active'),
    ('00000000-0000-4000-a000-000000000102', '00000000-0000-4000-a000-000000000001',
     'brian.admin@example.com',  'Brian Admin',  'admin',  'active'),
    ('00000000-0000-4000-a000-000000000103', '00000000-0000-4000-a000-000000000001',
     'chloe.member@example.com', 'Chloe Member', 'member', 'active'),
    ('00000000-0000-4000-a000-000000000104', '00000000-0000-4000-a000-000000000001',
     'dev.viewer@example.com',   'Dev Viewer',   'viewer', 'invited')
ON CONFLICT (id) DO UPDATE
    SET tenant_id    = EXCLUDED.tenant_id,
        email        = EXCLUDED.email,
        display_name = EXCLUDED.display_name,
        role         = EXCLUDED.role,
        status       = EXCLUDED.status
  WHERE (u.tenant_id, u.email, u.display_name, u.role, u.status)
        IS DISTINCT FROM
        (EXCLUDED.tenant_id, EXCLUDED.email, EXCLUDED.display_name, EXCLUDED.role, EXCLUDED.status);
