-- setup: CREATE TABLE projects (id int PRIMARY KEY, name text);
CREATE TABLE IF NOT EXISTS tenants (id int PRIMARY KEY, name text NOT NULL);
ALTER TABLE projects ADD COLUMN IF NOT EXISTS tenant_id int;
ALTER TABLE projects DROP CONSTRAINT IF EXISTS projects_tenant_fk;
ALTER TABLE projects ADD CONSTRAINT projects_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects USING (tenant_id = current_setting('app.tenant')::int);
