-- Login tracking on users: shows the additive-change pattern for an existing table
-- (ADD COLUMN IF NOT EXISTS, a guarded ADD CONSTRAINT, a view that uses the new columns).

ALTER TABLE core.users ADD COLUMN IF NOT EXISTS last_login_at timestamptz;
ALTER TABLE core.users ADD COLUMN IF NOT EXISTS login_count integer NOT NULL DEFAULT 0;

-- ALTER TABLE ... ADD CONSTRAINT has no IF NOT EXISTS: check the catalog first.
DO $do$
BEGIN
    IF NOT EXISTS (
        SELECT 1
          FROM pg_catalog.pg_constraint
         WHERE conrelid = 'core.users'::regclass
           AND conname = 'users_login_count_nonnegative'
    ) THEN
        ALTER TABLE core.users
            ADD CONSTRAINT users_login_count_nonnegative CHECK (login_count >= 0);
    END IF;
END
$do$;

CREATE INDEX IF NOT EXISTS users_tenant_last_login_idx
    ON core.users (tenant_id, last_login_at DESC NULLS LAST);

CREATE OR REPLACE VIEW core.active_users AS
SELECT u.id,
       u.tenant_id,
       t.slug AS tenant_slug,
       u.email,
       u.display_name,
       u.role,
       u.last_login_at,
       u.login_count
  FROM core.users AS u
  JOIN core.tenants AS t ON t.id = u.tenant_id
 WHERE u.status = 'active'
   AND t.status = 'active';

COMMENT ON VIEW core.active_users IS 'Active users of active tenants, with login statistics.';
